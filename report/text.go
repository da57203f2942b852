// Package report formats diagnostics for people and tools: text (gcc style, optionally coloured),
// JSON, SARIF and GitHub workflow commands, each listing at most MaxPerCode findings per code with
// a count of the rest. Every format is deterministic.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/meshroute/meshroute/diag"
)

// textStyles holds the colours of the text format; every style is a no-op when colour is off.
type textStyles struct {
	pos, err, warn, info, code, hint, note lipgloss.Style
}

func newTextStyles(w io.Writer, color bool) textStyles {
	r := lipgloss.NewRenderer(w)
	if color {
		// The caller decided colour is wanted (a terminal, NO_COLOR unset); plain 16-colour ANSI
		// reads well on any terminal theme.
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := r.NewStyle()
	return textStyles{
		pos:  s.Bold(true),
		err:  s.Bold(true).Foreground(lipgloss.Color("9")),
		warn: s.Bold(true).Foreground(lipgloss.Color("11")),
		info: s.Bold(true).Foreground(lipgloss.Color("12")),
		code: s.Bold(true),
		hint: s.Foreground(lipgloss.Color("10")),
		note: s.Bold(true).Foreground(lipgloss.Color("14")),
	}
}

func (st textStyles) severity(s diag.Severity) lipgloss.Style {
	switch s {
	case diag.Error:
		return st.err
	case diag.Warning:
		return st.warn
	}
	return st.info
}

// Text writes diagnostics in the gcc style editors and terminals understand:
//
//	file:line:col: error MR1001: message (RouteTable ns/name)
//	    hint: did you mean "matchers"?
//	file:line:col: note: related position
//
// and ends with a summary line ("2 errors, 1 warning" or "no problems found"). The object suffix
// is left out when the message already names the object, so a line never says it twice.
func Text(w io.Writer, ds []diag.Diagnostic, color bool) error {
	return TextShown(w, ds, nil, color)
}

// TextShown is Text for a filtered list (validate --show): the summary also counts the hidden
// findings, so "no problems found" is never printed over problems that were only filtered out.
func TextShown(w io.Writer, ds, hidden []diag.Diagnostic, color bool) error {
	st := newTextStyles(w, color)
	var b strings.Builder
	shown, omitted := listed(ds)
	for _, d := range shown {
		fmt.Fprintf(&b, "%s: %s %s: %s", st.pos.Render(d.Pos.String()),
			st.severity(d.Severity).Render(d.Severity.String()), st.code.Render(d.Code), oneLine(d.Message))
		if obj := d.Object.String(); obj != "" && !namesObject(d.Message, obj) {
			fmt.Fprintf(&b, " (%s)", obj)
		}
		b.WriteByte('\n')
		if d.Hint != "" {
			fmt.Fprintf(&b, "    %s %s\n", st.hint.Render("hint:"), oneLine(d.Hint))
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "%s: %s %s\n", st.pos.Render(r.Pos.String()), st.note.Render("note:"), oneLine(r.Message))
		}
	}
	switch {
	case len(hidden) == 0:
		b.WriteString(Summary(ds))
		writeOmitted(&b, omitted)
	case len(ds) == 0:
		fmt.Fprintf(&b, "nothing to show (hidden by --show: %s)", Summary(hidden))
	default:
		b.WriteString(Summary(ds))
		writeOmitted(&b, omitted)
		fmt.Fprintf(&b, " (hidden by --show: %s)", Summary(hidden))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// writeOmitted says after the summary how many findings it counts that were not listed.
func writeOmitted(b *strings.Builder, omitted []diag.Omitted) {
	if n := omittedTotal(omitted); n > 0 {
		fmt.Fprintf(b, " (%d not listed: only the first %d of each code are)", n, MaxPerCode)
	}
}

// namesObject reports whether msg already names obj ("VirtualDestination ns/name"), so the text
// line need not repeat it as a suffix. The name must end there: "RouteTable shop/web" is not
// named by a message about "RouteTable shop/web-routes".
func namesObject(msg, obj string) bool {
	for rest := msg; ; {
		i := strings.Index(rest, obj)
		if i < 0 {
			return false
		}
		rest = rest[i+len(obj):]
		if !continuesName(rest) {
			return true
		}
	}
}

// continuesName reports whether rest, the text after a match, continues the object name: a
// DNS-1123 character, or a dot followed by one (a dot before a space ends the sentence).
func continuesName(rest string) bool {
	nameChar := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' }
	switch {
	case rest == "":
		return false
	case rest[0] == '.':
		return len(rest) > 1 && nameChar(rest[1])
	}
	return nameChar(rest[0])
}

// Summary counts diagnostics by severity: "2 errors, 1 warning", or "no problems found".
func Summary(ds []diag.Diagnostic) string {
	c := count(ds)
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{c.Errors, "error"}, {c.Warnings, "warning"}, {c.Infos, "info"}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.word)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", p.n, p.word))
		}
	}
	if len(parts) == 0 {
		return "no problems found"
	}
	return strings.Join(parts, ", ")
}

// counts is the per-severity tally shared by the text summary and the JSON summary.
type counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// count tallies every finding: an MR1012 entry counts as the diagnostics it stands for.
func count(ds []diag.Diagnostic) counts {
	var c counts
	for _, d := range ds {
		n := 1
		if d.Omitted != nil {
			n = d.Omitted.Count
		}
		switch d.Severity {
		case diag.Error:
			c.Errors += n
		case diag.Warning:
			c.Warnings += n
		default:
			c.Infos += n
		}
	}
	return c
}

// oneLine keeps a message on its line so a multi-line message cannot break the gcc format that
// editors parse.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
