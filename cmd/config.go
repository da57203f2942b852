package cmd

import (
	"os"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/meshroute/meshroute/diag"
	"github.com/meshroute/meshroute/report"
	"github.com/meshroute/meshroute/schema"
)

// configCommands are the commands that read inputs, and so meshroute.yaml.
var configCommands = map[string]bool{"validate": true, "compile": true, "test": true, "explain": true, "diff": true}

// pathsAnnotation marks a command whose arguments are input paths (acceptPaths): there,
// arguments replace the config file's inputs as -f does.
const pathsAnnotation = "meshroute/paths"

// applyConfig finds meshroute.yaml (--config, or from the working folder up to the repository
// root) and sets every flag the command line left unset from it: a flag given replaces the
// file's value, lists included.
func (g *globalFlags) applyConfig(e env, c *cobra.Command, args []string) error {
	if !configCommands[c.Name()] {
		return nil
	}
	file := g.config
	if file == "" {
		file = findConfig(e.workDir)
		if file == "" {
			return nil
		}
	}
	l := &schema.Loader{MaxFileSize: int64(g.maxFileSize)}
	cfg, ds, err := l.LoadConfig(file)
	if err != nil {
		return &exitError{err: err, code: exitUsage}
	}
	if diag.HasErrors(ds) {
		if err := report.Text(e.stderr, ds, e.color); err != nil {
			return err
		}
		return usageErrorf("%s: invalid configuration file", file)
	}
	base := configBase(e.workDir, file)
	rel := func(p string) string {
		if p == schema.StdinPath || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	fs := c.Flags()
	inputsGiven := fs.Changed("filename") || c.Annotations[pathsAnnotation] != "" && len(args) > 0
	var sets []struct{ flag, value string }
	add := func(flag string, values ...string) {
		for _, v := range values {
			sets = append(sets, struct{ flag, value string }{flag, v})
		}
	}
	if !inputsGiven {
		for _, p := range cfg.Inputs {
			add("filename", rel(p))
		}
	}
	for _, s := range cfg.Services {
		add("services", s.Cluster+"="+rel(s.Path))
	}
	for _, x := range cfg.Exclude {
		if base != "." {
			x = path.Join(filepath.ToSlash(base), x)
		}
		add("exclude", x)
	}
	if cfg.OutDir != "" {
		add("out-dir", rel(cfg.OutDir))
	}
	add("target", nonEmpty(cfg.Target)...)
	add("fail-on", nonEmpty(cfg.FailOn)...)
	add("cluster", cfg.Clusters...)
	add("suppress", cfg.Suppress...)
	changed := map[string]bool{}
	for _, s := range sets {
		f := fs.Lookup(s.flag)
		if f == nil || f.Changed && !changed[s.flag] {
			continue // not this command's flag, or given on the command line
		}
		if s.flag == "cluster" && f.Value.Type() == "string" {
			continue // explain --cluster names one cluster to evaluate, not an output filter
		}
		changed[s.flag] = true
		if err := fs.Set(s.flag, s.value); err != nil {
			return usageErrorf("%s: %s: %v", file, s.flag, err)
		}
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// findConfig looks for meshroute.yaml in dir and its parents, stopping at the repository root
// (a folder holding .git), so a file outside the repository is never picked up.
func findConfig(dir string) string {
	for dir != "" {
		if f := filepath.Join(dir, schema.ConfigFile); isFile(f) {
			return f
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

func isFile(name string) bool {
	info, err := os.Stat(name)
	return err == nil && !info.IsDir()
}

// configBase is the config file's folder relative to the working folder (its paths are
// relative to it), "." when meshroute runs at the repository root.
func configBase(workDir, file string) string {
	dir := filepath.Dir(file)
	if !filepath.IsAbs(dir) {
		return dir
	}
	if r, err := filepath.Rel(workDir, dir); err == nil {
		return r
	}
	return dir
}
