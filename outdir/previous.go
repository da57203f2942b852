package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/internal/parallel"
)

// maxPreviousFile bounds what PreviousVIPs reads of one file: meshroute's ServiceEntries are a
// few hundred bytes, so a larger file is not one of them.
const maxPreviousFile = 1 << 20

// PreviousVIPs reads the addresses of the ServiceEntries a previous compile wrote into dir (the
// --out-dir layout, DIR/<cluster>/serviceentry-*.yaml): every host of each ServiceEntry → its
// first address. Only files meshroute wrote (GeneratedHeader first) count; hidden folders
// (staging) are skipped; a file that does not parse is skipped (the next write replaces it).
// When cluster folders disagree on a host, the first folder by name wins. A missing dir is no
// previous output.
func PreviousVIPs(dir string) (map[string]string, error) {
	clusters, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the previous output in %s: %w", dir, err)
	}
	vips := map[string]string{}
	for _, c := range clusters { // ReadDir sorts by name
		if !c.IsDir() || strings.HasPrefix(c.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, c.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading the previous output in %s: %w", dir, err)
		}
		// Read and parsed in parallel (a re-run of a large fleet has thousands), merged in order.
		type found struct {
			hosts []string
			addr  string
		}
		results := make([]found, len(files))
		err = parallel.ForEach(len(files), func(i int) error {
			f := files[i]
			if !f.Type().IsRegular() || !strings.HasPrefix(f.Name(), "serviceentry-") || !strings.HasSuffix(f.Name(), ".yaml") {
				return nil
			}
			data, err := readPrefix(filepath.Join(dir, c.Name(), f.Name()))
			if err != nil {
				return fmt.Errorf("reading the previous output in %s: %w", dir, err)
			}
			results[i].hosts, results[i].addr = serviceEntryVIP(data)
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			for _, h := range r.hosts {
				if _, seen := vips[h]; !seen && r.addr != "" {
					vips[h] = r.addr
				}
			}
		}
	}
	return vips, nil
}

// readPrefix reads a file up to maxPreviousFile bytes; nil for a larger one.
func readPrefix(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPreviousFile+1))
	if err != nil || len(data) > maxPreviousFile {
		return nil, err
	}
	return data, nil
}

// serviceEntryVIP is the hosts and first address of a meshroute-written ServiceEntry; nothing
// for any other content.
func serviceEntryVIP(data []byte) ([]string, string) {
	if !bytes.HasPrefix(data, []byte(GeneratedHeader)) {
		return nil, ""
	}
	var se struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Spec       struct {
			Hosts     []string `yaml:"hosts"`
			Addresses []string `yaml:"addresses"`
		} `yaml:"spec"`
	}
	if yaml.Unmarshal(data, &se) != nil || se.Kind != "ServiceEntry" ||
		!strings.HasPrefix(se.APIVersion, "networking.istio.io/") || len(se.Spec.Addresses) == 0 {
		return nil, ""
	}
	return se.Spec.Hosts, se.Spec.Addresses[0]
}
