package cmd

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

// actionMetadata is the part of GitHub's action metadata syntax that action.yml uses; decoding
// is strict, so a misspelt key fails here instead of being ignored by the runner.
type actionMetadata struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

// TestAction checks action.yml: its inputs, that it is a composite action whose run steps name
// a shell (composite actions require one), that it uploads the SARIF file it writes, and that
// every meshroute command it runs parses with the flags meshroute has, given the inputs' defaults.
func TestAction(t *testing.T) {
	var a actionMetadata
	dec := yaml.NewDecoder(bytes.NewReader(readRepoFile(t, "action.yml")))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	defaults := map[string]string{}
	for name, in := range a.Inputs {
		if in.Description == "" || in.Required {
			t.Errorf("input %s: want a description and a default (required: false)", name)
		}
		defaults[name] = in.Default
	}
	for name, want := range map[string]string{"args": "-f .", "version": "latest", "sarif": "false"} {
		if got, ok := defaults[name]; !ok || got != want {
			t.Errorf("input %s: default %q, present %v; want %q", name, got, ok, want)
		}
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q; want composite", a.Runs.Using)
	}

	uses := map[string]actionStep{}
	var commands [][]string
	sarifFile := ""
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			uses[strings.Split(s.Uses, "@")[0]] = s
			continue
		}
		if s.Shell == "" {
			t.Errorf("step %q: a composite action's run step needs a shell", s.Name)
		}
		env := map[string]string{}
		for k, v := range s.Env {
			env[k] = expandInputs(t, v, defaults)
		}
		if f, ok := env["SARIF_FILE"]; ok {
			sarifFile = f
		}
		for line := range strings.Lines(s.Run) {
			if words := shellCommand(line, env); len(words) > 0 && words[0] == "meshroute" {
				commands = append(commands, words[1:])
			}
		}
	}
	if _, ok := uses["actions/setup-go"]; !ok {
		t.Error("no actions/setup-go step: go install needs Go")
	}
	upload, ok := uses["github/codeql-action/upload-sarif"]
	if !ok || expandInputs(t, upload.With["sarif_file"], defaults) != sarifFile || sarifFile == "" {
		t.Errorf("upload-sarif step uploads %q; want the file the SARIF step writes, %q", upload.With["sarif_file"], sarifFile)
	}

	outputs := map[string]bool{}
	for _, args := range commands {
		if c := parseCommandLine(t, args); c != nil && c.Name() == "validate" {
			outputs[c.Flags().Lookup("output").Value.String()] = true
		}
	}
	if !outputs[formatGitHub] || !outputs[formatSARIF] || len(outputs) != 2 {
		t.Errorf("validate runs with -o %v; want github and sarif", outputs)
	}
}

// parseCommandLine finds the meshroute command args name and parses its flags as cobra would;
// nil (and a test error) when either fails. Files that ship meshroute command lines (action.yml,
// plugin.yaml) are checked with it against the real commands.
func parseCommandLine(t *testing.T, args []string) *cobra.Command {
	t.Helper()
	root := newRootCommand(env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
	c, rest, err := root.Find(args)
	if err != nil || c == root {
		t.Errorf("meshroute %s: no such command (%v)", strings.Join(args, " "), err)
		return nil
	}
	if err := c.ParseFlags(rest); err != nil {
		t.Errorf("meshroute %s: %v", strings.Join(args, " "), err)
		return nil
	}
	return c
}

var inputRef = regexp.MustCompile(`\$\{\{\s*inputs\.([\w-]+)\s*\}\}`)

// expandInputs fills ${{ inputs.NAME }} with the input's default; other expressions (runner.temp)
// stay as they are.
func expandInputs(t *testing.T, s string, defaults map[string]string) string {
	return inputRef.ReplaceAllStringFunc(s, func(ref string) string {
		v, ok := defaults[inputRef.FindStringSubmatch(ref)[1]]
		if !ok {
			t.Errorf("%s names no input", ref)
		}
		return v
	})
}

// shellCommand splits one script line into the words of its first command, as bash would with
// globbing off (the action's `set -f`): $NAME splits into words, "$NAME" stays one.
func shellCommand(line string, env map[string]string) []string {
	line, _, _ = strings.Cut(line, "#")
	var words []string
	for _, w := range strings.Fields(line) {
		if w == ">" || w == "||" || w == "|" || w == "&&" || w == ";" {
			break
		}
		switch {
		case strings.HasPrefix(w, `"$`):
			words = append(words, env[strings.Trim(w, `"$`)])
		case strings.HasPrefix(w, "$"):
			words = append(words, strings.Fields(env[w[1:]])...)
		default:
			words = append(words, w)
		}
	}
	return words
}
