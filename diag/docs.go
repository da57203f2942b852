package diag

import (
	"bytes"
	"fmt"
	"strings"
)

// Anchor is the fragment GitHub gives the heading of e in docs/diagnostics.md ("## MR1001
// UnknownField" → "mr1001-unknownfield"); SARIF rules link to it.
func Anchor(e Entry) string {
	return strings.ToLower(e.Code + "-" + e.Name)
}

// Markdown renders docs/diagnostics.md from the catalogue: an index table, then one section per
// code with its severity, summary, documentation and, when the entry has them, a bad example and
// its fix.
func Markdown() ([]byte, error) {
	entries, err := Catalogue()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`# Diagnostics reference

<!-- Generated from diag/catalogue.yaml by "go test ./diag -update". DO NOT EDIT. -->

Every finding meshroute reports carries a stable code, a severity, the position in the input
(` + "`file:line:col`" + `), the object it is about, a one-line message and, where it helps, a hint.
Codes are never reused: a retired code stays listed here.

Families: **MR1xxx** syntax and schema, **MR2xxx** references, **MR3xxx** conflicts,
**MR4xxx** semantics.

Severities: an **error** stops ` + "`meshroute compile`" + ` and makes ` + "`meshroute validate`" + ` exit 1; a
**warning** or an **info** is reported (` + "`validate --fail-on warning`" + ` or ` + "`info`" + ` turns them
into a failing exit code too). See [cli.md](cli.md) for exit codes and output formats.

| Code | Name | Severity | Summary |
| --- | --- | --- | --- |
`)
	for _, e := range entries {
		name := e.Name
		if e.Retired {
			name += " (retired)"
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", e.Code, Anchor(e), name, e.Severity, tableCell(e.Summary))
	}
	for _, e := range entries {
		b.Write(section(e))
	}
	return b.Bytes(), nil
}

// section is the part of the reference about one code.
func section(e Entry) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n## %s %s\n\n", e.Code, e.Name)
	if e.Retired {
		b.WriteString("**Retired**: no longer reported; the code is never reused.\n\n")
	}
	fmt.Fprintf(&b, "Severity: **%s**\n\n%s\n", e.Severity, strings.TrimSpace(e.Summary))
	if doc := strings.TrimSpace(e.Doc); doc != "" {
		fmt.Fprintf(&b, "\n%s\n", doc)
	}
	if bad := strings.TrimSpace(e.Bad); bad != "" {
		fmt.Fprintf(&b, "\nReported for:\n\n```yaml\n%s\n```\n", bad)
	}
	if fixed := strings.TrimSpace(e.Fixed); fixed != "" {
		fmt.Fprintf(&b, "\nFixed:\n\n```yaml\n%s\n```\n", fixed)
	}
	return b.Bytes()
}

// tableCell keeps a summary inside its Markdown table cell.
func tableCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(strings.TrimSpace(s))
}
