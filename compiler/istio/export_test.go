package istio

// RoundTrip lets the golden test, which compiles through the pipeline and so is package
// istio_test (the pipeline imports istio), check the specs it compiled.
var RoundTrip = roundTrip
