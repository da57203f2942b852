package validate

import (
	"fmt"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/schema"
)

// checkPartialWildcards reports hosts whose wildcard is only part of the left-most label
// (MR4013): the Gloo API accepts them, Istio's Gateway and VirtualService validation does not.
// RouteTable hosts and the DNS part of allowedRouteTables hosts become those Istio hosts.
func checkPartialWildcards(src *sources) []diag.Diagnostic {
	var ds []diag.Diagnostic
	report := func(o *schema.Object, path, host string) {
		ds = append(ds, diag.PartialWildcardHost(o.ValuePos(path), host).
			WithObject(o.Ref(), path).
			WithHint("use a whole-label wildcard such as %q, or list the names", "*"+host[strings.Index(host, "."):]))
	}
	for _, rt := range src.set.RouteTables {
		for i, h := range rt.Spec.Hosts {
			if partialWildcard(h) {
				report(&rt.Object, fmt.Sprintf("/spec/hosts/%d", i), h)
			}
		}
	}
	for _, vg := range src.set.VirtualGateways {
		for i, l := range vg.Spec.Listeners {
			for j, f := range l.AllowedRouteTables {
				_, dns, found := strings.Cut(f.Host, "/")
				if !found {
					dns = f.Host
				}
				if partialWildcard(dns) {
					report(&vg.Object, fmt.Sprintf("/spec/listeners/%d/allowedRouteTables/%d/host", i, j), dns)
				}
			}
		}
	}
	return ds
}

// partialWildcard reports "*-x.com"-style hosts: a wildcard that is not the whole first label.
// A host without a dot after the wildcard cannot be hinted and is left to the schema.
func partialWildcard(host string) bool {
	return strings.HasPrefix(host, "*") && host != "*" && !strings.HasPrefix(host, "*.") && strings.Contains(host, ".")
}
