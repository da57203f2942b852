package pipeline_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/schema"
)

// A program compiles routing config held in memory, with no CLI and nothing written.
func ExampleCompile() {
	const config = `apiVersion: meshroute.dev/v1alpha1
kind: Cluster
metadata: {name: cluster-1}
spec: {network: network-1}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo, annotations: {meshroute.dev/cluster: cluster-1}}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: reviews, namespace: bookinfo}
spec:
  hosts: [reviews]
  http:
  - name: default
    forwardTo:
      destinations: [{ref: {name: reviews}, port: {number: 9080}}]
`
	in := pipeline.Inputs{
		FS:    fstest.MapFS{"routing.yaml": {Data: []byte(config)}},
		Paths: []schema.Input{{Path: "routing.yaml"}},
	}
	res, ds, err := pipeline.Compile(context.Background(), in, pipeline.Options{Target: pipeline.TargetIstio})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(ds), "diagnostics")
	for _, cluster := range res.Model.ClusterNames() {
		files, err := res.Files(cluster)
		if err != nil {
			panic(err)
		}
		for _, f := range files {
			fmt.Printf("%s/%s (%s)\n", cluster, f.Name, f.Kind)
		}
	}
	// Output:
	// 0 diagnostics
	// cluster-1/virtualservice-bookinfo-routetable-reviews-bookinfo.yaml (VirtualService)
}
