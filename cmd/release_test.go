package cmd

// The release setup is checked here because goreleaser cannot run in `make test`: the config
// must read as goreleaser v2 reads it (unknown keys are errors), build every target the way
// `make build` does, stamp variables that exist, and name the archives the README downloads.

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/internal/goldentest"
)

// goreleaserConfig is the part of goreleaser's v2 schema that .goreleaser.yaml uses. A key the
// file gains must be added here (after checking goreleaser's documentation), so a typo cannot
// pass unnoticed.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID           string   `yaml:"id"`
		Main         string   `yaml:"main"`
		Binary       string   `yaml:"binary"`
		Env          []string `yaml:"env"`
		Goos         []string `yaml:"goos"`
		Goarch       []string `yaml:"goarch"`
		Flags        []string `yaml:"flags"`
		ModTimestamp string   `yaml:"mod_timestamp"`
		Ldflags      []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		ID              string   `yaml:"id"`
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Snapshot struct {
		VersionTemplate string `yaml:"version_template"`
	} `yaml:"snapshot"`
	Changelog struct {
		Sort string `yaml:"sort"`
	} `yaml:"changelog"`
}

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(goldentest.Path(name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func loadGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	var cfg goreleaserConfig
	dec := yaml.NewDecoder(bytes.NewReader(readRepoFile(t, ".goreleaser.yaml")))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	return cfg
}

func TestGoreleaserConfig(t *testing.T) {
	cfg := loadGoreleaser(t)
	if cfg.Version != 2 || cfg.ProjectName != "meshroute" {
		t.Errorf("version %d, project_name %q; want 2, meshroute", cfg.Version, cfg.ProjectName)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("%d builds; want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if b.Main != "." || b.Binary != "meshroute" {
		t.Errorf("build main %q, binary %q; want the root package as meshroute", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build env %v, flags %v; want CGO_ENABLED=0 and -trimpath, as make build", b.Env, b.Flags)
	}
	if !sameSet(b.Goos, []string{"linux", "darwin", "windows"}) || !sameSet(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("targets %v × %v; want linux, darwin, windows × amd64, arm64", b.Goos, b.Goarch)
	}
	if got, want := strings.Join(b.Ldflags, " "), makefileLDFLAGS(t); got != want {
		t.Errorf("ldflags differ from the Makefile's LDFLAGS:\n got %s\nwant %s", got, want)
	}

	if len(cfg.Archives) != 1 {
		t.Fatalf("%d archives; want 1", len(cfg.Archives))
	}
	a := cfg.Archives[0]
	if !slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 ||
		a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archive formats %v, overrides %+v; want tar.gz, zip on windows", a.Formats, a.FormatOverrides)
	}
	for _, f := range a.Files {
		if _, err := os.Stat(goldentest.Path(f)); err != nil {
			t.Errorf("archive file %s: %v", f, err)
		}
	}
	if cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v; want a name and sha256", cfg.Checksum)
	}
}

// makefileLDFLAGS is the Makefile's LDFLAGS with its variables expanded, the version stamp ones
// as goreleaser fills them.
func makefileLDFLAGS(t *testing.T) string {
	t.Helper()
	vars := map[string]string{}
	assign := regexp.MustCompile(`^([A-Z_]+)\s*[:?]?=\s*(.*)$`)
	for line := range strings.Lines(string(readRepoFile(t, "Makefile"))) {
		if m := assign.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			vars[m[1]] = m[2]
		}
	}
	vars["VERSION"], vars["COMMIT"], vars["DATE"] = "v{{ .Version }}", "{{ .FullCommit }}", "{{ .CommitDate }}"
	ref := regexp.MustCompile(`\$\(([A-Z_]+)\)`)
	ld, ok := vars["LDFLAGS"]
	if !ok {
		t.Fatal("Makefile: no LDFLAGS")
	}
	for ref.MatchString(ld) {
		ld = ref.ReplaceAllStringFunc(ld, func(r string) string {
			v, ok := vars[ref.FindStringSubmatch(r)[1]]
			if !ok {
				t.Fatalf("Makefile: LDFLAGS uses undefined %s", r)
			}
			return v
		})
	}
	return ld
}

// TestStampedVariablesExist: -X on a missing or non-string variable is silently ignored by the
// linker, so every stamped name must be a string variable of package cmd.
func TestStampedVariablesExist(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "version.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	stringVars := map[string]bool{}
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				typ, _ := vs.Type.(*ast.Ident)
				lit, _ := valueAt(vs.Values, i).(*ast.BasicLit)
				stringVars[name.Name] = (typ != nil && typ.Name == "string") || (lit != nil && lit.Kind == token.STRING)
			}
		}
	}
	const pkg = "github.com/meshroute/meshroute/cmd."
	stamped := regexp.MustCompile(`-X (\S+)=`).FindAllStringSubmatch(makefileLDFLAGS(t), -1)
	var names []string
	for _, m := range stamped {
		name, ok := strings.CutPrefix(m[1], pkg)
		if !ok || !stringVars[name] {
			t.Errorf("ldflags stamp %s, which is no string variable in cmd/version.go", m[1])
		}
		names = append(names, name)
	}
	if !sameSet(names, []string{"version", "commit", "date"}) {
		t.Errorf("ldflags stamp %v; want version, commit and date", names)
	}
}

func valueAt(values []ast.Expr, i int) ast.Expr {
	if i < len(values) {
		return values[i]
	}
	return nil
}

// TestDockerfileBuildsLikeReleases: the image's binary comes from make build with the stamp
// passed in, on the Go version go.mod names, into a distroless non-root image.
func TestDockerfileBuildsLikeReleases(t *testing.T) {
	docker := string(readRepoFile(t, "Dockerfile"))
	goMinor := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(readRepoFile(t, "go.mod")))
	for _, want := range []string{
		"FROM golang:" + goMinor[1] + " AS build",
		`RUN make build VERSION="$VERSION" COMMIT="$COMMIT" DATE="$DATE"`,
		"ARG VERSION=", "ARG COMMIT=", "ARG DATE=",
		"FROM gcr.io/distroless/static:nonroot",
		"USER nonroot",
		`ENTRYPOINT ["meshroute"]`,
	} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile: no %q", want)
		}
	}
	makefile := string(readRepoFile(t, "Makefile"))
	for _, v := range []string{"VERSION", "COMMIT", "DATE"} {
		if !strings.Contains(makefile, "--build-arg "+v+"='$("+v+")'") {
			t.Errorf("Makefile: make image does not pass %s to docker build", v)
		}
	}
}

// TestReadmeInstallLines: the install lines resolve for the published module: go install names
// go.mod's module (its root package main, no replace directive), and the README's release
// downloads name an asset the goreleaser config produces.
func TestReadmeInstallLines(t *testing.T) {
	readme := string(readRepoFile(t, "README.md"))
	module := regexp.MustCompile(`(?m)^module (\S+)$`).FindStringSubmatch(string(readRepoFile(t, "go.mod")))[1]
	if regexp.MustCompile(`(?m)^(replace|exclude)\b`).Match(readRepoFile(t, "go.mod")) {
		t.Error("go.mod has a replace or exclude directive: go install …@version refuses such a module")
	}
	if !bytes.Contains(readRepoFile(t, "main.go"), []byte("\npackage main\n")) {
		t.Error("main.go is not package main: go install of the module root would build nothing")
	}
	goInstall := regexp.MustCompile(`go install "?([^\s"@]+)@`)
	if !goInstall.MatchString(readme) {
		t.Error("README: no go install line")
	}
	for _, doc := range []string{"README.md", "docs/ci.md", "action.yml"} {
		for _, m := range goInstall.FindAllStringSubmatch(string(readRepoFile(t, doc)), -1) {
			if m[1] != module {
				t.Errorf("%s: go install %s, but the module is %s", doc, m[1], module)
			}
		}
	}

	cfg := loadGoreleaser(t)
	a := cfg.Archives[0]
	assets := map[string]bool{cfg.Checksum.NameTemplate: true}
	name := template.Must(template.New("archive").Parse(a.NameTemplate))
	for _, goos := range cfg.Builds[0].Goos {
		for _, goarch := range cfg.Builds[0].Goarch {
			var b strings.Builder
			if err := name.Execute(&b, map[string]string{"ProjectName": cfg.ProjectName, "Os": goos, "Arch": goarch}); err != nil {
				t.Fatal(err)
			}
			ext := a.Formats[0]
			if goos == "windows" {
				ext = a.FormatOverrides[0].Formats[0]
			}
			assets[b.String()+"."+ext] = true
		}
	}
	downloads := regexp.MustCompile(`https://github\.com/`+regexp.QuoteMeta(strings.TrimPrefix(module, "github.com/"))+
		`/releases/latest/download/([\w.-]+)`).FindAllStringSubmatch(readme, -1)
	if len(downloads) == 0 {
		t.Error("README: no release download line")
	}
	for _, m := range downloads {
		if !assets[m[1]] {
			t.Errorf("README downloads %s, which no release has (%v)", m[1], slices.Sorted(maps.Keys(assets)))
		}
	}
}

func sameSet(got, want []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}
