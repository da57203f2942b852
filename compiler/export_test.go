package compiler

// BuildOn is buildOn for the tests of package compiler_test (which may import packages that
// import compiler): the diagnostics in the order they were found, route tables bound on up to
// workers cores.
var BuildOn = buildOn
