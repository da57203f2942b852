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

// VIP is what PreviousVIPs takes from one ServiceEntry file: its hosts and its first address
// ("" when it has none).
type VIP struct {
	Hosts []string
	Addr  string
}

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
	var rels []string
	for _, c := range clusters { // ReadDir sorts by name
		if !c.IsDir() || strings.HasPrefix(c.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, c.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading the previous output in %s: %w", dir, err)
		}
		for _, f := range files {
			if f.Type().IsRegular() && isEntryFile(f.Name()) {
				rels = append(rels, c.Name()+"/"+f.Name())
			}
		}
	}
	vips, _, err := entryVIPs(dir, rels, nil, readRecord(dir))
	return vips, err
}

// PreviousVIPs is what PreviousVIPs(dir) reads in the folder in the state the snapshot records,
// without reading back the ServiceEntries the change put with their VIP (Txn.PutEntry): that
// state has them as they were put (one changed since has another stamp, so the record made
// of the snapshot never replays). The snapshot keeps each file's VIP for the next run.
func (s *Snapshot) PreviousVIPs() (map[string]string, error) {
	var rels []string
	var at []int
	for i, e := range s.entries {
		c, name, nested := strings.Cut(e.Rel, "/")
		if nested && c != "" && fs.FileMode(e.Stamp.Mode).IsRegular() && isEntryFile(name) {
			rels, at = append(rels, e.Rel), append(at, i)
		}
	}
	vips, each, err := entryVIPs(s.dir, rels, s.vips, nil)
	for i, v := range each {
		s.entries[at[i]].Entry, s.entries[at[i]].VIP = true, v
	}
	return vips, err
}

// isEntryFile: the name of a ServiceEntry's file (render.ManifestFileName).
func isEntryFile(name string) bool {
	return strings.HasPrefix(name, "serviceentry-") && strings.HasSuffix(name, ".yaml")
}

// entryVIPs merges the VIPs of the files rels of dir, in that order (the first address found
// for a host wins), and returns each file's: those of known are taken from there, those the
// record knows (same stamp) from the record, and the others read, in parallel.
func entryVIPs(dir string, rels []string, known map[string]VIP, rec *record) (map[string]string, []VIP, error) {
	results := make([]VIP, len(rels))
	err := parallel.ForEach(len(rels), func(i int) error {
		if v, ok := known[rels[i]]; ok {
			results[i] = v
			return nil
		}
		path := filepath.Join(dir, filepath.FromSlash(rels[i]))
		if rec != nil {
			if info, err := os.Lstat(path); err == nil {
				if st, ok := stampOf(info); ok {
					if e, ok := rec.known(rels[i], st); ok && e.Entry {
						results[i] = e.VIP
						return nil
					}
				}
			}
		}
		data, err := readPrefix(path)
		if err != nil {
			return fmt.Errorf("reading the previous output in %s: %w", dir, err)
		}
		results[i] = serviceEntryVIP(data)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	vips := map[string]string{}
	for _, r := range results {
		for _, h := range r.Hosts {
			if _, seen := vips[h]; !seen && r.Addr != "" {
				vips[h] = r.Addr
			}
		}
	}
	return vips, results, nil
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
func serviceEntryVIP(data []byte) VIP {
	if !bytes.HasPrefix(data, []byte(GeneratedHeader)) {
		return VIP{}
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
		return VIP{}
	}
	return VIP{se.Spec.Hosts, se.Spec.Addresses[0]}
}
