// Package pipeline is meshroute as a library: one call per job, each running the stages in the
// one order every caller shares — load → validate (build, resolve, rules, suppressions) → emit
// for a target → the target's own output check. It reads only its inputs and writes nothing:
// cmd prints and writes what it returns, routetest evaluates it.
package pipeline

import (
	"context"
	"io"
	"io/fs"
	"runtime"
	"sync"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/internal/parallel"
	"github.com/meshroute/meshroute/schema"
	"github.com/meshroute/meshroute/validate"
)

// Inputs is what is read: the paths (files, folders, "-" for Stdin), with the Services mappings
// of --services as Inputs whose ServicesCluster is set, and the size limits (0 = the defaults).
type Inputs struct {
	Paths        []schema.Input
	FS           fs.FS // read instead of the operating system when set
	Stdin        io.Reader
	MaxFileSize  int64
	MaxTotalSize int64
	// Exclude lists doublestar globs a folder walk leaves out (schema.Loader.Exclude).
	Exclude []string
	// Parsed is called after each input file is parsed (schema.Loader.Parsed).
	Parsed func()
}

// Options decide what is kept and what is emitted.
type Options struct {
	// Target names the registered Target Compile emits for; "" is TargetIstio.
	Target string
	// Suppress drops matching warnings and infos; errors are never dropped.
	Suppress []validate.Suppression
	// PreviousVIPs (host → address) keeps the VIPs of an earlier output.
	PreviousVIPs map[string]string
	// Envoy tunes the Envoy target. An AdminPort of 0 takes envoy.DefaultAdminPort unless a
	// gateway listens on it, then the first port above it that none does; an explicit port a
	// gateway uses is an *AdminPortError.
	Envoy envoy.Options
	// Select, when set, restricts the validated model to the clusters to emit (model.Only does
	// that); its error stops Compile. Diagnostics never depend on it: it runs after validation,
	// and each cluster emits the same whatever else is emitted.
	Select func(*model.Model) (*model.Model, error)
}

// Validated is a set of inputs that loaded, with its routing model. The model may be emitted
// only when no diagnostic is an error.
type Validated struct {
	Set   *schema.Set
	Model *model.Model
}

// Validate loads the inputs and runs every check (what `meshroute validate` reports and compile
// gates on); the diagnostics are the loader's and the validator's, suppressed and sorted as one
// list. The error is a *schema.UsageError when the inputs cannot be read at all.
func Validate(ctx context.Context, in Inputs, opts Options) (*Validated, []diag.Diagnostic, error) {
	l := &schema.Loader{FS: in.FS, Stdin: in.Stdin, MaxFileSize: in.MaxFileSize, MaxTotalSize: in.MaxTotalSize, Exclude: in.Exclude, Parsed: in.Parsed}
	set, loaded, err := l.Load(in.Paths)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	m, ds := validate.Run(set, validate.Options{Suppress: opts.Suppress, Loaded: loaded, PreviousVIPs: opts.PreviousVIPs})
	return &Validated{Set: set, Model: m}, ds, nil
}

// Compile is Validate followed by Emit: when a diagnostic is an error the Result is nil, as
// `meshroute compile` refuses to write anything.
func Compile(ctx context.Context, in Inputs, opts Options) (*Result, []diag.Diagnostic, error) {
	if _, err := Lookup(opts.Target); err != nil {
		return nil, nil, err // before reading anything
	}
	v, ds, err := Validate(ctx, in, opts)
	if err != nil || diag.HasErrors(ds) {
		return nil, ds, err
	}
	res, err := Emit(ctx, v, opts)
	return res, ds, err
}

// CompileEach is Compile for a caller that takes each cluster's files as they are rendered
// (compile --out-dir, which stages them at once): Validate, then EmitEach when no diagnostic is
// an error.
func CompileEach(ctx context.Context, in Inputs, opts Options, put func(cluster string, files []File) error) ([]diag.Diagnostic, error) {
	if _, err := Lookup(opts.Target); err != nil {
		return nil, err // before reading anything
	}
	v, ds, err := Validate(ctx, in, opts)
	if err != nil || diag.HasErrors(ds) {
		return ds, err
	}
	// Emitting reads the model only: letting the loaded objects go (their positions and typed
	// specs, a third of what validation leaves live) makes room for the clusters in flight.
	return ds, EmitEach(ctx, &Validated{Model: v.Model}, opts, put)
}

// EmitEach emits the clusters of a validated model (restricted by opts.Select) one at a time,
// runs the target's check on each and hands its files to put (called from several goroutines,
// once per cluster, while the next cluster is emitted): only the clusters in flight are held
// in memory, not the whole output. A cluster emits the same whatever else is emitted (model.Only), so the
// files are exactly Emit's. The error is that of the first failing cluster in name order.
func EmitEach(ctx context.Context, v *Validated, opts Options, put func(cluster string, files []File) error) error {
	t, err := Lookup(opts.Target)
	if err != nil {
		return err
	}
	m := v.Model
	if opts.Select != nil {
		if m, err = opts.Select(m); err != nil {
			return err
		}
	}
	if t.Name() == TargetEnvoy && opts.Envoy.AdminPort == 0 {
		// A free admin port is chosen over every emitted cluster, as Emit chooses it.
		if opts.Envoy.AdminPort, err = adminPort(m, 0); err != nil {
			return err
		}
	}
	names := m.ClusterNames()
	// One cluster is emitted and rendered at a time — rendering already uses every core, and a
	// cluster's objects are several times the size of its YAML — while the cluster rendered
	// before it is handed to put (which writes files) on another goroutine.
	var rendering sync.Mutex
	return parallel.ForEachOn(runtime.GOMAXPROCS(0), len(names), func(i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		files, err := func() ([]File, error) {
			rendering.Lock()
			defer rendering.Unlock()
			one, err := m.Only(names[i : i+1])
			if err != nil {
				return nil, err
			}
			out, err := t.Emit(one, opts)
			if err != nil {
				return nil, err
			}
			if err := t.Check(out); err != nil {
				return nil, err
			}
			return t.Files(out, names[i])
		}()
		if err != nil {
			return err
		}
		return put(names[i], files)
	})
}

// Emit translates a validated model (one without errors) for opts.Target, restricted by
// opts.Select, and runs the target's own output check. A failing check is meshroute's bug.
func Emit(ctx context.Context, v *Validated, opts Options) (*Result, error) {
	t, err := Lookup(opts.Target)
	if err != nil {
		return nil, err
	}
	m := v.Model
	if opts.Select != nil {
		if m, err = opts.Select(m); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out, err := t.Emit(m, opts)
	if err != nil {
		return nil, err
	}
	if err := t.Check(out); err != nil {
		return nil, err
	}
	return &Result{Set: v.Set, Model: m, Target: t, Output: out}, nil
}

// Result is a compiled model and what its target emitted for it, nothing written yet.
type Result struct {
	Set *schema.Set
	// Model is the routing model restricted by Options.Select (all clusters without it).
	Model  *model.Model
	Target Target
	Output
}

// Files is one cluster's output in the target's file layout, as compile --out-dir writes it
// under <dir>/<cluster>/.
func (r *Result) Files(cluster string) ([]File, error) { return r.Target.Files(r.Output, cluster) }
