package routetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/eval"
)

// writePolicies prints the route policies of the matched route with where each was declared,
// then what they do in the emitted config. Nothing is printed for a route without policies,
// whose data-plane defaults (Istio's retries) are not news.
func writePolicies(line func(label, text string), s styles, x *Explanation) {
	if len(x.Policies) == 0 {
		return
	}
	for i, p := range x.Policies {
		label := ""
		if i == 0 {
			label = "policies"
		}
		text := p.Kind + " " + p.Namespace + "/" + p.Name
		if len(p.Destinations) > 0 {
			text += " (on " + strings.Join(p.Destinations, ", ") + ")"
		}
		line(label, text+"  "+s.render(s.faint, p.Pos.String()))
	}
	rp := x.Result.Policies
	if rp == nil {
		return
	}
	line("timeout", orNone(rp.Timeout))
	line("retries", describeRetries(rp.Retries))
	if rp.Fault != nil {
		line("fault", describeFault(rp.Fault))
	}
	writeHeaderChanges(line, rp.Headers)
	if c := rp.CORS; c != nil {
		line("cors", "origins "+strings.Join(c.AllowOrigins, ", "))
	}
	if m := rp.Mirror; m != nil {
		d := m.Destination
		text := fmt.Sprintf("%s:%d", d.Host, d.Port)
		if d.Subset != "" {
			text += " subset " + d.Subset
		}
		line("mirror", fmt.Sprintf("%s  %g%%  %s", text, m.Percentage, d.Source))
	}
}

// writeHeaderChanges prints one line per direction that changes headers.
func writeHeaderChanges(line func(label, text string), h *eval.Headers) {
	if h == nil {
		return
	}
	for _, c := range []struct {
		what   string
		add    map[string]string
		remove []string
	}{{"request", h.RequestAdd, h.RequestRemove}, {"response", h.ResponseAdd, h.ResponseRemove}} {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(c.add)) {
			parts = append(parts, "+"+k+": "+c.add[k])
		}
		for _, k := range c.remove {
			parts = append(parts, "-"+k)
		}
		if len(parts) > 0 {
			line("headers", c.what+" "+strings.Join(parts, ", "))
		}
	}
}
