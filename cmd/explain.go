package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/eval"
	"github.com/meshroute/meshroute/routetest"
)

type explainFlags struct {
	cluster, gateway, mesh, host, path, method, target, output, protocol, sni, from string
	headers, query                                                                  []string
	port                                                                            uint32
}

func newExplainCommand(e env, g *globalFlags) *cobra.Command {
	f := &explainFlags{}
	c := &cobra.Command{
		Use:   "explain",
		Short: "Show the route a request takes and why the earlier routes did not match",
		Long: `Compile the inputs (-f) as compile would and send one request through the emitted config of
one cluster: through a gateway Service (--gateway NAMESPACE/SERVICE, as kubectl names the
workload) or from a sidecar (--mesh NAMESPACE:label=value,…). Prints the matched route with its
delegation chain (root table → delegated table → route, file:line each), its action and
destinations, and for every earlier route on that host a one-line reason it did not match.
Where AuthorizationPolicies (service isolation) select a destination's workloads, it also says
whether they admit the client (--from, or a gateway's own identity) and which rule decides.

Exit code 0 whatever the outcome (a 404 is an answer); 1 when the inputs do not compile;
2 when the command could not run (bad flag, unknown cluster or gateway).`,
		Example: `  # Where does /global-app go on cluster-1's ingress gateway?
  meshroute explain -f examples/global-app --cluster cluster-1 \
    --gateway gloo-mesh-gateways/istio-ingressgateway --host www.example.com --path /global-app

  # A header-conditioned route, as JSON
  meshroute explain -f routing/ --cluster cluster-1 --gateway istio-gateways/istio-ingressgateway \
    --host shop.example.com --path /headers --header x-user=alice -o json

  # A mesh request from the productpage sidecar
  meshroute explain -f routing/ --cluster cluster-1 --mesh bookinfo:app=productpage \
    --host reviews.bookinfo.svc.cluster.local --port 9080 --path /

  # Does payments-api admit the web frontend's service account?
  meshroute explain -f examples/workspaces --cluster cluster-1 --mesh web:app=frontend \
    --from web/frontend --host checkout.web.internal --port 8080 --path /pay`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			req, err := f.request()
			if err != nil {
				return &exitError{err: flagError{err}, code: exitUsage}
			}
			compiled, err := compileForTests(c.Context(), e, g, f.target)
			if err != nil {
				return err
			}
			x, err := routetest.Explain(compiled, f.cluster, req)
			if err != nil {
				return usageErrorf("%v", err)
			}
			if f.output == formatJSON {
				return routetest.WriteExplainJSON(e.stdout, x)
			}
			return routetest.WriteExplainText(e.stdout, x, e.stdoutColor)
		},
	}
	fs := c.Flags()
	fs.StringVar(&f.cluster, "cluster", "", "the cluster whose emitted config is evaluated (required)")
	fs.StringVar(&f.gateway, "gateway", "", "NAMESPACE/SERVICE: the gateway Service the request enters through")
	fs.StringVar(&f.mesh, "mesh", "", "NAMESPACE[:k=v,…]: the sidecar the request leaves from (istio target)")
	fs.StringVar(&f.from, "from", "", "NAMESPACE/SERVICEACCOUNT[@CLUSTER]: the client's identity, to tell whether the destinations admit it (istio target; a gateway request defaults to the gateway's)")
	fs.StringVar(&f.host, "host", "", "the request's host (authority) (required)")
	fs.StringVar(&f.path, "path", "/", "the request's path; a ?query part is read too")
	fs.StringVar(&f.method, "method", "GET", "the request's method")
	fs.StringArrayVar(&f.headers, "header", nil, "NAME=VALUE (or NAME:VALUE) request header; repeatable")
	fs.StringArrayVar(&f.query, "query", nil, "NAME=VALUE query parameter; repeatable")
	fs.StringVar(&f.protocol, "protocol", eval.ProtocolHTTP, "http, or tcp or tls for a connection from a sidecar (--mesh) to --host on --port, or to a gateway's --port")
	fs.StringVar(&f.sni, "sni", "", "the server name a tls connection sends (default: --host)")
	fs.Uint32Var(&f.port, "port", 0, "gateway: the gateway Service port (default: the first listener's); mesh: the destination port")
	enumFlag(c, fs, &f.target, "target", "", targetIstio, "which emitted config to evaluate", targetIstio, targetEnvoy)
	enumFlag(c, fs, &f.output, "output", "o", formatText, "output format", formatText, formatJSON)
	_ = c.MarkFlagRequired("cluster")
	_ = c.MarkFlagRequired("host")
	c.MarkFlagsMutuallyExclusive("gateway", "mesh")
	c.MarkFlagsOneRequired("gateway", "mesh")
	return c
}

// request turns the flags into the request to evaluate.
func (f *explainFlags) request() (eval.Request, error) {
	if err := checkEnum("target", f.target, targetIstio, targetEnvoy); err != nil {
		return eval.Request{}, err
	}
	if err := checkEnum("output", f.output, formatText, formatJSON); err != nil {
		return eval.Request{}, err
	}
	if err := checkEnum("protocol", f.protocol, eval.ProtocolHTTP, eval.ProtocolTCP, eval.ProtocolTLS); err != nil {
		return eval.Request{}, err
	}
	req := eval.Request{Protocol: f.protocol, SNI: f.sni, Host: f.host, Path: f.path, Method: f.method, Port: f.port}
	var err error
	if req.Headers, err = pairs("--header", f.headers, "=:"); err != nil {
		return req, err
	}
	if req.Query, err = pairs("--query", f.query, "="); err != nil {
		return req, err
	}
	switch {
	case f.gateway != "":
		ns, name, ok := strings.Cut(f.gateway, "/")
		if !ok || ns == "" || name == "" {
			return req, fmt.Errorf("--gateway %q: want NAMESPACE/SERVICE", f.gateway)
		}
		req.Gateway = &eval.GatewayRef{Namespace: ns, Service: name}
	case f.mesh != "":
		ns, labels, _ := strings.Cut(f.mesh, ":")
		if ns == "" {
			return req, fmt.Errorf("--mesh %q: want NAMESPACE[:k=v,…]", f.mesh)
		}
		src := &eval.MeshSource{Namespace: ns}
		if labels != "" {
			if src.Labels, err = pairs("--mesh", strings.Split(labels, ","), "="); err != nil {
				return req, err
			}
		}
		req.Mesh = src
	}
	if f.from != "" && f.target == targetEnvoy {
		return req, fmt.Errorf("--from needs the istio target: the envoy target emits gateways only, and the destinations' sidecars enforce service isolation")
	}
	if f.from != "" {
		id, cluster, _ := strings.Cut(f.from, "@")
		ns, sa, ok := strings.Cut(id, "/")
		if !ok || ns == "" || sa == "" || strings.Contains(f.from, "@") && cluster == "" {
			return req, fmt.Errorf("--from %q: want NAMESPACE/SERVICEACCOUNT[@CLUSTER]", f.from)
		}
		if req.Mesh != nil && ns != req.Mesh.Namespace {
			return req, fmt.Errorf("--from %q: the service account is not of the sidecar's namespace %s", f.from, req.Mesh.Namespace)
		}
		req.From = &eval.Identity{Cluster: cluster, Namespace: ns, ServiceAccount: sa}
	}
	return req, nil
}

// pairs reads NAME=VALUE items; seps lists the separators accepted, the first found wins.
func pairs(flag string, items []string, seps string) (map[string]string, error) {
	out := map[string]string{}
	for _, it := range items {
		i := strings.IndexAny(it, seps)
		if i <= 0 {
			return nil, fmt.Errorf("%s %q: want NAME=VALUE", flag, it)
		}
		out[strings.TrimSpace(it[:i])] = strings.TrimSpace(it[i+1:])
	}
	return out, nil
}
