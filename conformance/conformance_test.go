package conformance

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goldenDir holds the expected outputs of the main module's tests.
const goldenDir = "../golden"

// TestGoldenManifests validates every Istio object of every golden file.
func TestGoldenManifests(t *testing.T) {
	files, err := istioFiles(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Istio manifests found under %s: the check would pass vacuously", goldenDir)
	}
	objects, skipped := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitDocuments(data) {
			warn, err := ValidateDocument(doc)
			rel, _ := filepath.Rel(goldenDir, file)
			if errors.Is(err, ErrNotIstio) {
				skipped++
				continue
			}
			objects++
			if err != nil {
				t.Errorf("%s (document %d): %v", rel, i+1, err)
			}
			if warn != nil {
				t.Logf("%s (document %d): warning: %v", rel, i+1, warn)
			}
		}
	}
	if objects == 0 {
		t.Fatalf("no Istio object found under %s: the check would pass vacuously", goldenDir)
	}
	t.Logf("validated %d Istio objects in %d files (%d other documents skipped)", objects, len(files), skipped)
}

// istioFiles lists the YAML manifests under root, skipping Envoy output (envoy/ folders),
// diagnostics goldens (validate.*) and the renderer's own fixtures (render/), which exercise
// encoding corner cases such as a zero duration rather than what meshroute emits.
func istioFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "envoy" || path == filepath.Join(root, "render") {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, "validate.") || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			return nil
		}
		files = append(files, path)
		return nil
	})
	slices.Sort(files)
	return files, err
}

// splitDocuments splits multi-document YAML, dropping empty documents.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	for _, doc := range bytes.Split(append([]byte("\n"), data...), []byte("\n---")) {
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
	return docs
}
