package render

import (
	"fmt"
	"testing"

	networking "istio.io/api/networking/v1alpha3"
)

// estate is what one cluster of a large estate renders: 100 VirtualServices of 20 routes, each
// route with a matcher, headers and two weighted destinations.
func estate() []Object {
	template := virtualService().Spec.(*networking.VirtualService).Http[0]
	var objs []Object
	for t := range 100 {
		vs := virtualService()
		vs.Name = fmt.Sprintf("routetable-%d-global", t)
		spec := vs.Spec.(*networking.VirtualService)
		spec.Http = nil
		for r := range 20 {
			spec.Http = append(spec.Http, &networking.HTTPRoute{
				Name:  fmt.Sprintf("route-%d.routetable-%d.global", r, t),
				Match: template.Match,
				Route: template.Route,
			})
		}
		objs = append(objs, vs)
	}
	return objs
}

func BenchmarkSpecNode(b *testing.B) {
	objs := estate()
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range objs {
			if _, err := specNode(o.Spec); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkStreamYAML(b *testing.B) {
	objs := estate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := StreamYAML(objs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListJSON(b *testing.B) {
	objs := estate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ListJSON(objs); err != nil {
			b.Fatal(err)
		}
	}
}
