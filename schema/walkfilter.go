package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/ignore"
)

// IgnoreFile is the gitignore-syntax file a folder walk obeys, in the walked folder and in any
// folder below it (its patterns are relative to the folder holding it, deeper files win).
const IgnoreFile = ".meshrouteignore"

// helmChartFile marks a Helm chart: its templates are Go templates, not YAML.
const helmChartFile = "Chart.yaml"

// walkFilter decides what a folder walk leaves out: hidden entries, --exclude globs and
// .meshrouteignore rules silently; meshroute's output and Helm charts with one info line each.
type walkFilter struct {
	l        *Loader
	root     string
	excludes []*ignore.Glob
	rules    map[string]*ignore.Rules // folder → its IgnoreFile
}

// skippedFolder is a folder left out with a note: why, and the info line saying so.
type skippedFolder struct {
	path, why string
	note      diag.Diagnostic
}

func (l *Loader) newWalkFilter(root string) (*walkFilter, error) {
	wf := &walkFilter{l: l, root: filepath.Clean(root), rules: map[string]*ignore.Rules{}}
	for _, x := range l.Exclude {
		g, err := ignore.CompileGlob(x)
		if err != nil {
			return nil, fmt.Errorf("invalid --exclude %q: %v", x, err)
		}
		wf.excludes = append(wf.excludes, g)
	}
	return wf, nil
}

// skip reports whether the walk leaves name out, and the note when it says so.
func (wf *walkFilter) skip(name string, d fs.DirEntry) (bool, *skippedFolder, error) {
	name = filepath.Clean(name)
	if name != wf.root && (strings.HasPrefix(d.Name(), ".") || wf.excluded(name, d.IsDir()) || wf.ignored(name, d.IsDir())) {
		return true, nil, nil
	}
	if d.IsDir() {
		// Only in folders the walk enters: a skipped folder's IgnoreFile is never read.
		if err := wf.readRules(name); err != nil {
			return false, nil, err
		}
	}
	return false, wf.special(name, d), nil
}

// special returns the note for a folder skipped for what it holds: meshroute's own output or a
// Helm chart.
func (wf *walkFilter) special(name string, d fs.DirEntry) *skippedFolder {
	switch {
	case !d.IsDir():
		return nil
	case wf.l.isOutputFolder(name):
		return &skippedFolder{name, "meshroute's output, marked by " + OutputMarker, outputSkipped(name)}
	case wf.l.exists(filepath.Join(name, helmChartFile)):
		return &skippedFolder{name, "a Helm chart", helmSkipped(name)}
	}
	return nil
}

func (wf *walkFilter) excluded(name string, isDir bool) bool {
	slash := filepath.ToSlash(name)
	for _, g := range wf.excludes {
		if g.Match(slash) || isDir && g.Match(slash+"/") {
			return true
		}
	}
	return false
}

// ignored applies the IgnoreFiles of name's folders, from the walk's root down: the deepest
// file with a matching rule decides.
func (wf *walkFilter) ignored(name string, isDir bool) bool {
	rel, err := filepath.Rel(wf.root, name)
	if err != nil {
		return false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	verdict := false
	dir := wf.root
	for i := range segs {
		if rs := wf.rules[dir]; rs != nil {
			if ign, ok := rs.Match(path.Join(segs[i:]...), isDir); ok {
				verdict = ign
			}
		}
		dir = filepath.Join(dir, segs[i])
	}
	return verdict
}

func (wf *walkFilter) readRules(folder string) error {
	data, err := wf.l.readSmall(filepath.Join(folder, IgnoreFile))
	if err != nil {
		return nil // no IgnoreFile here
	}
	rs, err := ignore.ParseRules(filepath.Join(folder, IgnoreFile), string(data))
	if err != nil {
		return err
	}
	wf.rules[folder] = rs
	return nil
}

func (l *Loader) exists(name string) bool {
	_, err := l.stat(name)
	return err == nil
}

func (l *Loader) readSmall(name string) ([]byte, error) {
	if l.FS != nil {
		return fs.ReadFile(l.FS, fsPath(name))
	}
	return os.ReadFile(name)
}

// isHelmChartFile: a Chart.yaml named on its own is a chart's metadata, not an object.
func isHelmChartFile(name string) bool { return filepath.Base(name) == helmChartFile }

// helmSkipped is the one info line for a Helm chart a walk left out, positioned on its
// Chart.yaml.
func helmSkipped(folder string) diag.Diagnostic {
	return diag.HelmChartSkipped(diag.Position{File: filepath.Join(folder, helmChartFile)}, folder, helmChartFile).
		WithHint("pass the rendered manifests (helm template ... > file) with -f, or suppress MR1004")
}

// helmMetadataSkipped is the info line for a Chart.yaml named on its own.
func helmMetadataSkipped(file string) diag.Diagnostic {
	return diag.HelmMetadataSkipped(diag.Position{File: file}, file).
		WithHint("pass the chart's rendered manifests (helm template) instead, or suppress MR1004")
}
