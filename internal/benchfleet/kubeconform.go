package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// kubeconformModule is the yardstick's pinned version.
const kubeconformModule = "github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"

// kubeconformRun times kubeconform -strict over the input with meshroute's own JSON Schemas;
// when kubeconform cannot be found or installed the table says why instead.
func (b *bench) kubeconformRun(in string) {
	bin, err := b.findKubeconform()
	if err == nil {
		var schemas string
		if schemas, err = b.writeSchemas(); err == nil {
			b.kubeconform, err = b.repeat("kubeconform -strict", b.opts.runs, nil, bin,
				"-strict", "-summary", "-schema-location", filepath.Join(schemas, "{{ .ResourceKind }}.json"), in)
		}
	}
	if err != nil {
		b.kubeconformErr = err.Error()
		logf("no kubeconform figures: %v", err)
	}
}

func (b *bench) findKubeconform() (string, error) {
	if b.opts.kubeconform != "" {
		return b.opts.kubeconform, nil
	}
	if p, err := exec.LookPath("kubeconform"); err == nil {
		return p, nil
	}
	gobin := filepath.Join(b.opts.work, "gobin")
	logf("installing %s", kubeconformModule)
	cmd := exec.Command("go", "install", kubeconformModule)
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New("go install " + kubeconformModule + ": " + strings.TrimSpace(string(out)))
	}
	return filepath.Join(gobin, "kubeconform"), nil
}

// writeSchemas saves `meshroute schema KIND` for every kind it reads, named as kubeconform's
// {{ .ResourceKind }} (the lower-case kind) finds them.
func (b *bench) writeSchemas() (string, error) {
	dir := filepath.Join(b.opts.work, "schemas")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	kinds, err := exec.Command(b.bin, "schema").Output()
	if err != nil {
		return "", err
	}
	for _, kind := range strings.Fields(string(kinds)) {
		schema, err := exec.Command(b.bin, "schema", kind).Output()
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, strings.ToLower(kind)+".json"), schema, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}
