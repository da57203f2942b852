package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/parallel"
)

// DefaultMaxFileSize is the largest input file read (DESIGN.md §1, --max-file-size).
const DefaultMaxFileSize = 64 << 20

// maxDiagnosticsPerCode is how many findings of one code the loader keeps; the rest are only
// counted (one MR1012 entry), so a million stray documents cost counters, not a million
// entries. Far above what any output format lists, so per-object suppressions still apply to
// everything shown.
const maxDiagnosticsPerCode = 10000

// DefaultMaxTotalSize bounds all input files together (--max-input-size): a folder of many
// files each under the per-file limit must not exhaust memory either.
const DefaultMaxTotalSize = 256 << 20

// StdinPath is the path that means standard input.
const StdinPath = "-"

// Input is one -f or --services argument.
type Input struct {
	Path string
	// ServicesCluster, when set, assigns every Service read from Path to that cluster
	// (--services CLUSTER=PATH).
	ServicesCluster string
}

// Loader reads inputs. The zero value reads the operating system's files with the default limits.
type Loader struct {
	// FS, when set, is read instead of the operating system (tests run in memory).
	FS fs.FS
	// Stdin is read for the path "-".
	Stdin io.Reader
	// MaxFileSize refuses larger files before parsing; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxTotalSize stops reading once the files read so far exceed it; 0 means
	// DefaultMaxTotalSize.
	MaxTotalSize int64
	// Exclude lists doublestar globs (--exclude) a folder walk leaves out, matched against
	// each path as it is printed (the -f folder joined with the path inside it).
	Exclude []string
	// Parsed, when set, is called after each file is parsed, from the parsing goroutines (a
	// progress count; the order of the calls means nothing).
	Parsed func()
}

// UsageError is a problem that stops the command from running at all (DESIGN.md §5 exit code 2):
// a missing path, a folder without input files, no objects at all.
type UsageError struct{ Err error }

// Error is the underlying error's message.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// Load reads every input and returns the objects with every diagnostic found on the way. The
// error is a *UsageError when the command cannot run.
func (l *Loader) Load(inputs []Input) (*Set, []diag.Diagnostic, error) {
	if len(inputs) == 0 {
		return nil, nil, &UsageError{errors.New("no input: pass -f PATH (a file, a folder, or - for standard input)")}
	}
	if err := stdinOnce(inputs); err != nil {
		return nil, nil, err
	}
	st := newLoadState()
	// Files are read in order (the size budget counts them in order) and parsed on every core;
	// steps keeps what reading found and each file's parse in input order, so merging them
	// gives the objects and diagnostics one sequential pass would.
	var steps []loadStep
	if err := l.readInputs(inputs, func(s loadStep) { steps = append(steps, s) }); err != nil {
		return nil, nil, err
	}
	_ = parallel.ForEach(len(steps), func(i int) error {
		if s := &steps[i]; s.note == nil {
			s.parsed = newLoadState()
			s.parsed.parseFile(s.file, s.data, s.servicesCluster)
			s.data = nil
			if l.Parsed != nil {
				l.Parsed()
			}
		}
		return nil
	})
	for _, s := range steps {
		if s.note != nil {
			st.report(*s.note)
		} else {
			st.merge(s.parsed)
		}
	}
	if ds := st.diags.Diagnostics(); st.set.Len() == 0 && len(st.set.Others) == 0 && !diag.HasErrors(ds) {
		return nil, ds, &UsageError{errors.New("no input objects found in " + describe(inputs))}
	}
	st.finish()
	ds := st.diags.Diagnostics()
	diag.Sort(ds)
	return st.set, ds, nil
}

// readInputs reads the inputs in the order Load takes them and hands each step to add: a
// file with its bytes, or a note (a folder left out, a file refused, the size budget spent,
// after which nothing more is read). The error is a *UsageError.
func (l *Loader) readInputs(inputs []Input, add func(loadStep)) error {
	inventory := l.servicesFiles(inputs)
	seen := map[string]bool{} // cluster + path: overlapping -f folders (-f a -f a/b) read a file once
	skipped := map[string]bool{}
	var total int64
	for _, in := range inputs {
		files, folders, err := l.expand(in.Path)
		if err != nil {
			return &UsageError{err}
		}
		for _, o := range folders {
			if !skipped[o.path] {
				skipped[o.path] = true
				add(loadStep{note: &o.note})
			}
		}
		for _, f := range files {
			if in.ServicesCluster == "" && inventory[filepath.Clean(f)] {
				// Read as the --services CLUSTER=PATH inventory only: an -f folder that also
				// holds the inventory (-f . --services c=inventory/c) must not load it a second
				// time without its cluster.
				continue
			}
			key := in.ServicesCluster + "\x00" + filepath.Clean(f)
			if seen[key] {
				continue
			}
			seen[key] = true
			if isHelmChartFile(f) {
				d := helmMetadataSkipped(f)
				add(loadStep{note: &d})
				continue
			}
			data, d, err := l.read(f)
			if err != nil {
				return &UsageError{err}
			}
			if d != nil {
				add(loadStep{note: d})
				continue
			}
			if total += int64(len(data)); total > l.maxTotal() {
				d := totalTooLarge(f, l.maxTotal())
				add(loadStep{note: &d})
				return nil
			}
			add(loadStep{file: f, data: data, servicesCluster: in.ServicesCluster})
		}
	}
	return nil
}

// servicesFiles returns the files named by --services inputs (cleaned paths; standard input
// excluded), so that -f skips them.
func (l *Loader) servicesFiles(inputs []Input) map[string]bool {
	files := map[string]bool{}
	for _, in := range inputs {
		if in.ServicesCluster == "" || in.Path == StdinPath {
			continue
		}
		expanded, _, err := l.expand(in.Path)
		if err != nil {
			continue // reported when the input itself is read
		}
		for _, f := range expanded {
			files[filepath.Clean(f)] = true
		}
	}
	return files
}

// stdinOnce refuses standard input named more than once (-f - twice, or with --services C=-):
// a stream can be read once, so the second would silently read nothing and its objects would
// be missing from the output without a word.
func stdinOnce(inputs []Input) error {
	n := 0
	for _, in := range inputs {
		if in.Path == StdinPath {
			n++
		}
	}
	if n > 1 {
		return &UsageError{fmt.Errorf("standard input (-) is named %d times, but it can be read only once: pass - to one -f or --services flag, and the other inputs as files", n)}
	}
	return nil
}

func describe(inputs []Input) string {
	paths := make([]string, len(inputs))
	for i, in := range inputs {
		paths[i] = in.Path
	}
	return strings.Join(paths, ", ")
}

// expand turns a path into the sorted list of input files it names, and the folders its walk
// left out with a note (meshroute's output, Helm charts). A walk also leaves out, silently,
// hidden files and folders, --exclude globs and what .meshrouteignore files say; a path named
// explicitly is always read.
func (l *Loader) expand(p string) (files []string, skipped []skippedFolder, err error) {
	if p == StdinPath {
		return []string{StdinPath}, nil, nil
	}
	info, err := l.stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no such file or directory", p)
	}
	if !info.IsDir() {
		return []string{p}, nil, nil
	}
	wf, err := l.newWalkFilter(p)
	if err != nil {
		return nil, nil, err
	}
	var rulesErr error // a bad .meshrouteignore names itself; no need to prefix p
	err = l.walk(p, func(name string, d fs.DirEntry) error {
		skip, note, err := wf.skip(name, d)
		switch {
		case err != nil:
			rulesErr = err
			return fs.SkipAll
		case note != nil:
			skipped = append(skipped, *note)
			return fs.SkipDir
		case skip && d.IsDir():
			return fs.SkipDir
		case !skip && !d.IsDir() && isInputFile(name):
			files = append(files, name)
		}
		return nil
	})
	switch {
	case rulesErr != nil:
		return nil, nil, rulesErr
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %v", p, err)
	case len(files) == 0 && len(skipped) > 0:
		whys := make([]string, len(skipped))
		for i, s := range skipped {
			whys[i] = s.path + ": " + s.why
		}
		return nil, nil, fmt.Errorf("%s: no input files outside meshroute's output folders and Helm charts (%s)", p, strings.Join(whys, "; "))
	case len(files) == 0:
		return nil, nil, fmt.Errorf("%s: no *.yaml, *.yml or *.json files in this folder (hidden, --exclude and %s paths left out)", p, IgnoreFile)
	}
	slices.Sort(files)
	return files, skipped, nil
}

func isInputFile(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func (l *Loader) stat(p string) (fs.FileInfo, error) {
	if l.FS != nil {
		return fs.Stat(l.FS, fsPath(p))
	}
	return os.Stat(p)
}

// walk visits every file and folder under root; fn may return fs.SkipDir for a folder.
func (l *Loader) walk(root string, fn func(string, fs.DirEntry) error) error {
	visit := func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return fn(name, d)
	}
	if l.FS != nil {
		return fs.WalkDir(l.FS, fsPath(root), visit)
	}
	return filepath.WalkDir(root, visit)
}

func fsPath(p string) string {
	p = path.Clean(filepath.ToSlash(p))
	if p == "" || p == "/" {
		return "."
	}
	return strings.TrimPrefix(p, "/")
}

// read returns a file's bytes, or a diagnostic when its content cannot be an input.
func (l *Loader) read(name string) ([]byte, *diag.Diagnostic, error) {
	limit := l.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	pos := diag.Position{File: name}
	var r io.Reader
	switch {
	case name == StdinPath:
		pos.File = "<stdin>"
		if l.Stdin == nil {
			return nil, nil, errors.New("-: standard input is not available")
		}
		r = l.Stdin
	case l.FS != nil:
		f, err := l.FS.Open(fsPath(name))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.Size() > limit {
			return nil, tooLarge(pos, limit), nil
		}
		r = f
	default:
		info, err := os.Stat(name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		if info.Size() > limit {
			return nil, tooLarge(pos, limit), nil
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", name, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", pos.File, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(pos, limit), nil
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		d := diag.UnreadableInput(pos, pos.File).
			WithHint("pass only YAML or JSON files; -f on a folder reads *.yaml, *.yml and *.json")
		return nil, &d, nil
	}
	return data, nil, nil
}

func (l *Loader) maxTotal() int64 {
	if l.MaxTotalSize <= 0 {
		return DefaultMaxTotalSize
	}
	return l.MaxTotalSize
}

func totalTooLarge(file string, limit int64) diag.Diagnostic {
	if file == StdinPath {
		file = "<stdin>"
	}
	return diag.TotalInputTooLarge(diag.Position{File: file}, limit).
		WithHint("pass a narrower -f folder, or raise the limit with --max-input-size")
}

func tooLarge(pos diag.Position, limit int64) *diag.Diagnostic {
	d := diag.InputTooLarge(pos, limit).
		WithHint("split the file, or raise the limit with --max-file-size")
	return &d
}
