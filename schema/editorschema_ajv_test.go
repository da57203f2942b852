package schema

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ajvScript validates the document (last argument) against the schema file (the one before) with ajv's draft
// 2020-12 validator and prints its errors as [instancePath, keyword, additionalProperty].
const ajvScript = `
const Ajv = require('ajv/dist/2020');
const fs = require('fs');
const ajv = new Ajv({allErrors: true, strict: false}); // errorMessage is our own keyword
const [file, doc] = process.argv.slice(-2);
const validate = ajv.compile(JSON.parse(fs.readFileSync(file)));
validate(JSON.parse(doc));
console.log(JSON.stringify((validate.errors || []).map(e => [e.instancePath, e.keyword, e.params.additionalProperty || ""])));
`

// TestEditorSchemaAjv checks the typo cases with ajv, the validator editors' tooling is built
// on. It needs node and an npm folder holding ajv (npm install ajv), named by MESHROUTE_AJV_DIR;
// without them it skips, so the default test run needs neither.
func TestEditorSchemaAjv(t *testing.T) {
	dir := os.Getenv("MESHROUTE_AJV_DIR")
	node, err := exec.LookPath("node")
	if dir == "" || err != nil {
		t.Skip("set MESHROUTE_AJV_DIR to a folder where `npm install ajv` ran, with node on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ajv")); err != nil {
		t.Skipf("no ajv under %s: %v", dir, err)
	}
	all, err := compiledSchemas()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range typoCases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "schema.json")
			if err := os.WriteFile(file, all[tc.key].editor, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(node, "-e", ajvScript, "--", file, tc.doc)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node: %v", err)
			}
			var got [][3]string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			want := [][3]string{{tc.at, "additionalProperties", tc.field}}
			if len(got) != 1 || got[0] != want[0] {
				t.Errorf("ajv errors %v, want only %v", got, want)
			}
		})
	}
}
