package schema

import (
	"reflect"
	"testing"

	"github.com/meshroute/meshroute/diag"
)

// merge must carry every kind of object a file's parse can hold: a field added to Set and
// forgotten there would silently drop those objects from a parallel load.
func TestMergeCoversEverySetField(t *testing.T) {
	file := newLoadState()
	fv := reflect.ValueOf(file.set).Elem()
	for i := range fv.NumField() {
		f := fv.Field(i)
		if f.Kind() != reflect.Slice {
			t.Fatalf("Set.%s is not a slice: teach merge about it", fv.Type().Field(i).Name)
		}
		f.Set(reflect.Append(f, reflect.New(f.Type().Elem().Elem())))
	}
	file.workspaceFields = append(file.workspaceFields, diag.Diagnostic{})
	st := newLoadState()
	st.merge(file)
	if len(st.workspaceFields) != 1 {
		t.Errorf("merge drops workspaceFields")
	}
	sv := reflect.ValueOf(st.set).Elem()
	for i := range sv.NumField() {
		if sv.Field(i).Len() != 1 {
			t.Errorf("merge drops Set.%s", sv.Type().Field(i).Name)
		}
	}
}
