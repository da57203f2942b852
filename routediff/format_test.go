package routediff

import (
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	r := Report{Clusters: []Cluster{{Name: "c1", Changes: []Change{
		{Kind: RouteRetargeted, Scope: "routes gw/rs", Route: "ns/rt#a", From: "a:80", To: "b|c:80"},
		{Kind: HostRemoved, Scope: "gateway gw/gw", From: "a.example.com:80"},
	}}}}
	tests := []struct {
		name  string
		write func(*strings.Builder, Report) error
		in    Report
		want  string
	}{
		{name: "text", write: func(b *strings.Builder, r Report) error { return Text(b, r, false) }, in: r,
			want: "cluster c1\n  routes gw/rs\n    ~ route re-targeted ns/rt#a: a:80 -> b|c:80\n  gateway gw/gw\n    - host removed: a.example.com:80\n"},
		{name: "text colour", write: func(b *strings.Builder, r Report) error { return Text(b, r, true) }, in: r,
			want: "\x1b[1mcluster c1\x1b[0m\n  routes gw/rs\n\x1b[93m    ~ route re-targeted ns/rt#a\x1b[0m: a:80 -> b|c:80\n  gateway gw/gw\n\x1b[91m    - host removed\x1b[0m: a.example.com:80\n"},
		{name: "text, nothing", write: func(b *strings.Builder, r Report) error { return Text(b, r, false) },
			want: "No routing changes.\n"},
		{name: "markdown", write: func(b *strings.Builder, r Report) error { return Markdown(b, r) }, in: r,
			want: "## meshroute: routing changes\n\n### Cluster `c1`\n\n| | Change | Where | Route | Before | After |\n|---|---|---|---|---|---|\n" +
				"| ~ | route re-targeted | `routes gw/rs` | `ns/rt#a` | `a:80` | `b\\|c:80` |\n" +
				"| - | host removed | `gateway gw/gw` |  | `a.example.com:80` |  |\n\n"},
		{name: "json, nothing", write: func(b *strings.Builder, r Report) error { return JSON(b, r) },
			want: "{\n  \"clusters\": []\n}\n"},
		{name: "json", write: func(b *strings.Builder, r Report) error { return JSON(b, r) }, in: Report{Clusters: r.Clusters[:1]},
			want: `{
  "clusters": [
    {
      "name": "c1",
      "changes": [
        {
          "kind": "route-retargeted",
          "scope": "routes gw/rs",
          "route": "ns/rt#a",
          "from": "a:80",
          "to": "b|c:80"
        },
        {
          "kind": "host-removed",
          "scope": "gateway gw/gw",
          "from": "a.example.com:80"
        }
      ]
    }
  ]
}
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.write(&b, tc.in); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", b.String(), tc.want)
			}
		})
	}
}
