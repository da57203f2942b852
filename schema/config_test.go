package schema

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestLoadConfig(t *testing.T) {
	head := "apiVersion: meshroute.dev/v1alpha1\nkind: Config\n"
	for _, tc := range []struct {
		name, data string
		want       *Config
		code       string // the first diagnostic's code, when one is expected
		line, col  int
		hint       string
	}{
		{name: "every field", data: head + "inputs: [routing/]\nservices:\n- {cluster: c1, path: inv/c1}\nexclude: ['**/legacy']\ntarget: envoy\noutDir: out\nclusters: [c1]\nsuppress: [MR1005]\nfailOn: warning\n",
			want: &Config{Inputs: []string{"routing/"}, Services: []ConfigServices{{"c1", "inv/c1"}}, Exclude: []string{"**/legacy"}, Target: "envoy", OutDir: "out", Clusters: []string{"c1"}, Suppress: []string{"MR1005"}, FailOn: "warning"}},
		{name: "empty file", data: "", want: &Config{}},
		{name: "unknown field with did-you-mean", data: head + "input: [routing/]\n", code: "MR1001", line: 3, col: 1, hint: "did you mean `inputs`?"},
		{name: "unknown field in services", data: head + "services:\n- {cluster: c1, paths: x}\n", code: "MR1001", line: 4, col: 17, hint: "did you mean `path`?"},
		{name: "wrong enum", data: head + "target: kubernetes\n", code: "MR1003", line: 3, col: 9},
		{name: "wrong kind", data: "apiVersion: meshroute.dev/v1alpha1\nkind: Cluster\n", code: "MR1003", line: 2, col: 7},
		{name: "not a mapping", data: "- routing/\n", code: "MR1008", line: 1, col: 1},
		{name: "invalid YAML", data: head + "inputs: [a\n", code: "MR1002"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Loader{FS: fstest.MapFS{"meshroute.yaml": {Data: []byte(tc.data)}}}
			c, ds, err := l.LoadConfig("meshroute.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if len(ds) > 0 || !reflect.DeepEqual(c, tc.want) {
					t.Fatalf("got %+v %v, want %+v", c, ds, tc.want)
				}
				return
			}
			if c != nil || len(ds) == 0 {
				t.Fatalf("got %+v %v, want %s", c, ds, tc.code)
			}
			d := ds[0]
			if d.Code != tc.code || tc.line != 0 && (d.Pos.Line != tc.line || d.Pos.Col != tc.col) || d.Hint != tc.hint && tc.hint != "" {
				t.Errorf("got %s (hint %q), want %s at %d:%d (hint %q)", d, d.Hint, tc.code, tc.line, tc.col, tc.hint)
			}
		})
	}
}
