package schema

import (
	"path/filepath"

	"github.com/meshroute/meshroute/diag"
)

// OutputMarker is the file compile --out-dir keeps at the root of its output folder. A folder
// walk skips any folder holding it: meshroute's own output is never input (-f . in a repository
// that also holds the out-dir would read it back, thousands of objects of kinds it ignores).
const OutputMarker = ".meshroute-output"

// isOutputFolder reports whether the folder holds the output marker.
func (l *Loader) isOutputFolder(folder string) bool {
	_, err := l.stat(filepath.Join(folder, OutputMarker))
	return err == nil
}

// outputSkipped is the one info line for an output folder a walk left out, positioned on its
// marker.
func outputSkipped(folder string) diag.Diagnostic {
	return diag.OutputFolderSkipped(diag.Position{File: filepath.Join(folder, OutputMarker)}, folder, OutputMarker).
		WithHint("pass the routing config's own folders with -f, or suppress MR1013")
}
