package routediff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// titles says each change kind in words, for text and markdown.
var titles = map[string]string{
	ClusterAdded:    "cluster added",
	ClusterRemoved:  "cluster removed",
	GatewayAdded:    "gateway added",
	GatewayRemoved:  "gateway removed",
	HostAdded:       "host added",
	HostRemoved:     "host removed",
	RouteSetAdded:   "route set added",
	RouteSetRemoved: "route set removed",
	RouteAdded:      "route added",
	RouteRemoved:    "route removed",
	RouteReordered:  "route reordered",
	RouteRetargeted: "route re-targeted",
	WeightsChanged:  "weights changed",
	ActionChanged:   "action changed",
	MatchersChanged: "matchers changed",
	BackendAdded:    "backend added",
	BackendRemoved:  "backend removed",
	EndpointAdded:   "backend cluster added",
	EndpointRemoved: "backend cluster removed",
}

// sign marks a change as an addition (+), a removal (-) or a modification (~).
func sign(kind string) string {
	switch {
	case strings.HasSuffix(kind, "-added"):
		return "+"
	case strings.HasSuffix(kind, "-removed"):
		return "-"
	}
	return "~"
}

// JSON writes the report as {"clusters":[{"name","changes":[{"kind","scope","route","from","to"}]}]}.
func JSON(w io.Writer, r Report) error {
	if r.Clusters == nil {
		r.Clusters = []Cluster{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Text writes the report for a terminal: a line per cluster, one per gateway, route set or
// backend, then one per change, green for additions and red for removals when color is set.
func Text(w io.Writer, r Report, color bool) error {
	re := lipgloss.NewRenderer(w)
	re.SetColorProfile(termenv.Ascii)
	if color {
		re.SetColorProfile(termenv.ANSI)
	}
	s := re.NewStyle()
	styles := map[string]lipgloss.Style{"+": s.Foreground(lipgloss.Color("10")), "-": s.Foreground(lipgloss.Color("9")), "~": s.Foreground(lipgloss.Color("11"))}
	var b strings.Builder
	if r.Empty() {
		b.WriteString("No routing changes.\n")
	}
	for _, c := range r.Clusters {
		fmt.Fprintf(&b, "%s\n", s.Bold(true).Render("cluster "+c.Name))
		scope := ""
		for _, ch := range c.Changes {
			if ch.Scope != scope {
				scope = ch.Scope
				fmt.Fprintf(&b, "  %s\n", scope)
			}
			sg := sign(ch.Kind)
			line := fmt.Sprintf("    %s %s", sg, titles[ch.Kind])
			if ch.Route != "" {
				line += " " + ch.Route
			}
			b.WriteString(styles[sg].Render(line) + fromTo(ch) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fromTo is ": FROM -> TO", either side alone when only one is set.
func fromTo(ch Change) string {
	switch {
	case ch.From != "" && ch.To != "":
		return ": " + ch.From + " -> " + ch.To
	case ch.From != "":
		return ": " + ch.From
	case ch.To != "":
		return ": " + ch.To
	}
	return ""
}

// Markdown writes the report as GitHub-flavoured markdown for a pull-request comment: a
// heading per cluster and a table of its changes.
func Markdown(w io.Writer, r Report) error {
	var b strings.Builder
	b.WriteString("## meshroute: routing changes\n\n")
	if r.Empty() {
		b.WriteString("No routing changes.\n")
	}
	for _, c := range r.Clusters {
		fmt.Fprintf(&b, "### Cluster `%s`\n\n| | Change | Where | Route | Before | After |\n|---|---|---|---|---|---|\n", c.Name)
		for _, ch := range c.Changes {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", sign(ch.Kind), titles[ch.Kind],
				cell(ch.Scope), cell(ch.Route), cell(ch.From), cell(ch.To))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cell is a value as code in a table cell: pipes escaped, a value holding a backtick fenced
// with two.
func cell(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}
