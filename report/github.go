package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// GitHub writes one workflow command per diagnostic, which GitHub Actions turns into an
// annotation on the file and line:
//
//	::error file=F,line=L,col=C,title=MR1001 UnknownField::message
//
// Warnings use ::warning and infos ::notice.
func GitHub(w io.Writer, ds []diag.Diagnostic) error {
	var b strings.Builder
	shown, _ := listed(ds)
	for _, d := range shown {
		var props []string
		if d.Pos.File != "" {
			props = append(props, "file="+escapeProperty(d.Pos.File))
			if d.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
				if d.Pos.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
				}
			}
		}
		title := d.Code
		if e, ok := diag.Lookup(d.Code); ok {
			title += " " + e.Name
		}
		props = append(props, "title="+escapeProperty(title))
		msg := d.Message
		if obj := d.Object.String(); obj != "" {
			msg += " (" + obj + ")"
		}
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		for _, r := range d.Related {
			msg += "\nnote: " + r.Pos.String() + ": " + r.Message
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", githubCommand(d.Severity), strings.Join(props, ","), escapeData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func githubCommand(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a command's message as the Actions runner unescapes it.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty also escapes the property separators ':' and ','.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
