package schema

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestWalkFilter: what a folder walk reads, and the notes it leaves, for hidden entries,
// --exclude, .meshrouteignore files (nested ones too) and Helm charts.
func TestWalkFilter(t *testing.T) {
	tpl := "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
	chart := "apiVersion: v2\nname: web\nversion: 0.1.0\n"
	for _, tc := range []struct {
		name    string
		files   map[string]string
		paths   []string
		exclude []string
		read    []string // files read (cluster c1 in each)
		notes   []string // info lines: file of each
		err     string   // a usage error, when set
	}{
		{name: "hidden folders and files left out", files: map[string]string{".git/x.yaml": "", ".github/workflows/ci.yaml": "", ".pre-commit-config.yaml": "", "r/a.yaml": ""},
			paths: []string{"."}, read: []string{"r/a.yaml"}},
		{name: "an explicit hidden path is read", files: map[string]string{".hidden/a.yaml": "", "r/a.yaml": ""},
			paths: []string{".hidden/a.yaml", ".hidden"}, read: []string{".hidden/a.yaml"}},
		{name: "exclude a folder with **", files: map[string]string{"r/legacy/x/a.yaml": "", "r/a.yaml": ""},
			paths: []string{"r"}, exclude: []string{"**/legacy"}, read: []string{"r/a.yaml"}},
		{name: "exclude matches the printed path", files: map[string]string{"r/a.yaml": "", "r/b.yaml": ""},
			paths: []string{"r"}, exclude: []string{"r/b.*"}, read: []string{"r/a.yaml"}},
		{name: "exclude never drops an explicit file", files: map[string]string{"r/a.yaml": ""},
			paths: []string{"r/a.yaml"}, exclude: []string{"**"}, read: []string{"r/a.yaml"}},
		{name: "bad exclude glob", files: map[string]string{"r/a.yaml": ""},
			paths: []string{"r"}, exclude: []string{"[a"}, err: `invalid --exclude "[a"`},
		{name: "meshrouteignore at the root", files: map[string]string{"r/.meshrouteignore": "drafts/\n*.old.yaml\n", "r/drafts/a.yaml": "", "r/x/b.old.yaml": "", "r/a.yaml": ""},
			paths: []string{"r"}, read: []string{"r/a.yaml"}},
		{name: "nested meshrouteignore re-includes", files: map[string]string{"r/.meshrouteignore": "*.gen.yaml\n", "r/x/.meshrouteignore": "!keep.gen.yaml\n", "r/x/keep.gen.yaml": "", "r/y/keep.gen.yaml": "", "r/a.yaml": ""},
			paths: []string{"r"}, read: []string{"r/a.yaml", "r/x/keep.gen.yaml"}},
		{name: "anchored pattern is relative to its file", files: map[string]string{"r/.meshrouteignore": "/a.yaml\n", "r/a.yaml": "", "r/x/a.yaml": ""},
			paths: []string{"r"}, read: []string{"r/x/a.yaml"}},
		{name: "bad meshrouteignore line", files: map[string]string{"r/.meshrouteignore": "[bad\n", "r/a.yaml": ""},
			paths: []string{"r"}, err: "r/.meshrouteignore:1"},
		{name: "a skipped folder's meshrouteignore is not read", files: map[string]string{".git/.meshrouteignore": "[bad\n", "r/.meshrouteignore": "x/\n", "r/x/.meshrouteignore": "[bad\n", "r/a.yaml": ""},
			paths: []string{"."}, read: []string{"r/a.yaml"}},
		{name: "Helm chart skipped with one note", files: map[string]string{"charts/web/Chart.yaml": chart, "charts/web/values.yaml": "replicas: 1\n", "charts/web/templates/svc.yaml": tpl, "r/a.yaml": ""},
			paths: []string{"."}, read: []string{"r/a.yaml"}, notes: []string{"charts/web/Chart.yaml"}},
		{name: "a Chart.yaml alone is ignored", files: map[string]string{"charts/web/Chart.yaml": chart, "r/a.yaml": ""},
			paths: []string{"charts/web/Chart.yaml", "r"}, read: []string{"r/a.yaml"}, notes: []string{"charts/web/Chart.yaml"}},
		{name: "a chart alone is no input", files: map[string]string{"charts/web/Chart.yaml": chart, "charts/web/templates/svc.yaml": tpl},
			paths: []string{"charts/web"}, err: "charts/web: a Helm chart"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range tc.files {
				if strings.HasSuffix(name, ".yaml") && content == "" {
					content = strings.Replace(clusterYAML, "c1", "c"+strings.NewReplacer("/", "-", ".", "-").Replace(name), 1)
				}
				fsys[name] = &fstest.MapFile{Data: []byte(content)}
			}
			var in []Input
			for _, p := range tc.paths {
				in = append(in, Input{Path: p})
			}
			set, ds, err := (&Loader{FS: fsys, Exclude: tc.exclude}).Load(in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var read, notes []string
			for _, c := range set.Clusters {
				read = append(read, c.Pos.File)
			}
			for _, d := range ds {
				if d.Code != "MR1004" {
					t.Errorf("unexpected %s", d)
				}
				notes = append(notes, d.Pos.File)
			}
			slices.Sort(read)
			if !slices.Equal(read, tc.read) || !slices.Equal(notes, tc.notes) {
				t.Errorf("read %v with notes %v; want %v with %v", read, notes, tc.read, tc.notes)
			}
		})
	}
}
