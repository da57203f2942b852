package routetest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/meshroute/meshroute/eval"
)

// styles colour the explanation on a terminal; the zero value prints plain text.
type styles struct {
	label, ok, warn, bad, faint lipgloss.Style
	on                          bool
}

func newStyles(w io.Writer, color bool) styles {
	if !color {
		return styles{}
	}
	// The caller decided colour is wanted (a terminal, NO_COLOR unset); plain 16-colour ANSI
	// then, rather than lipgloss guessing again from w (which a test's buffer or a wrapped
	// writer would defeat), as report.Text does.
	r := lipgloss.NewRenderer(w)
	r.SetColorProfile(termenv.ANSI)
	return styles{
		on:    true,
		label: r.NewStyle().Bold(true),
		ok:    r.NewStyle().Foreground(lipgloss.Color("2")).Bold(true),
		warn:  r.NewStyle().Foreground(lipgloss.Color("3")).Bold(true),
		bad:   r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		faint: r.NewStyle().Faint(true),
	}
}

func (s styles) render(st lipgloss.Style, text string) string {
	if !s.on {
		return text
	}
	return st.Render(text)
}

// WriteExplainText prints the explanation for people; color adds lipgloss styling (the caller
// decides: a terminal and NO_COLOR unset).
func WriteExplainText(w io.Writer, x *Explanation, color bool) error {
	s := newStyles(w, color)
	var b strings.Builder
	line := func(label, text string) {
		fmt.Fprintf(&b, "%s %s\n", s.render(s.label, fmt.Sprintf("%-8s", label)), text)
	}
	line("request", x.Request)
	for _, h := range x.Headers {
		line("", h)
	}
	line("via", fmt.Sprintf("%s in cluster %s (%s target)", x.Entry, x.Cluster, x.Target))
	outcome := s.ok
	switch x.Outcome {
	case eval.NotFound:
		outcome = s.bad
	case eval.Redirect, eval.DirectResponse:
		outcome = s.warn
	}
	line("result", s.render(outcome, x.Action))
	if x.Config != "" {
		line("config", x.Config)
	}
	if x.Route != "" {
		line("route", x.Route)
	}
	for i, h := range x.Chain {
		label := ""
		if i == 0 {
			label = "chain"
		}
		line(label, fmt.Sprintf("%s%s route %s  %s", strings.Repeat("  ", i), h.Table, h.Route, s.render(s.faint, h.Pos.String())))
	}
	for i, d := range x.Result.Destinations {
		label := ""
		if i == 0 {
			label = "to"
		}
		text := fmt.Sprintf("%s:%d", d.Host, d.Port)
		if d.Subset != "" {
			text += " subset " + d.Subset
		}
		text += fmt.Sprintf("  weight %d  %s", d.Weight, d.Source)
		line(label, text)
		if e := describeEndpoints(d.Endpoints); e != "" {
			line("", "  endpoints by "+e)
		}
		writeHeaderChanges(func(_, text string) { line("", "  "+text) }, d.Headers)
		if eg := d.Egress; eg != nil {
			hop := Describe(*eg)
			if eg.Route != "" {
				hop = "route " + eg.Route + " → " + hop
			}
			line("egress", fmt.Sprintf("  the egress gateway %s (%s): %s", d.Source, eg.Config, hop))
		}
		if a := d.Access; a != nil {
			line("", "  "+allowedWord(a.Allowed)+": "+a.Reason)
		}
	}
	for i, p := range x.DestinationPolicies {
		label := ""
		if i == 0 {
			label = "backend"
		}
		line(label, fmt.Sprintf("%s %s on %s: %s  %s", p.Kind, p.Policy, p.Destination, p.Effect, s.render(s.faint, p.Pos.String())))
	}
	if rw := x.Result.Rewrite; rw != nil {
		line("rewrite", describeRewrite(rw.Path, rw.Host))
	}
	writePolicies(line, s, x)
	if len(x.Misses) > 0 {
		what := "earlier routes that did not match:"
		if x.Outcome == eval.NotFound {
			what = "routes that did not match:"
		}
		b.WriteString(s.render(s.label, what) + "\n")
		for _, m := range x.Misses {
			pos := ""
			if m.Pos != nil {
				pos = "  " + s.render(s.faint, m.Pos.String())
			}
			fmt.Fprintf(&b, "  %s: %s%s\n", m.Route, m.Reason, pos)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteExplainJSON prints the explanation as JSON (never coloured).
func WriteExplainJSON(w io.Writer, x *Explanation) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}
