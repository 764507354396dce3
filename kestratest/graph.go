package kestratest

import "github.com/kestra-go/kestra-go/kestratest/internal/flowdef"

// The flow graph (FlowGraph) as the server's GraphUtils builds it for the
// flows kestratest runs: tasks in sequence between the root's start and
// end markers, triggers pointing at the start.

const graphPkg = "io.kestra.core.models.hierarchies."

func flowGraph(f *flowDef) map[string]any {
	var nodes, edges []map[string]any
	seq := map[string]any{"relationType": "SEQUENTIAL"}
	edge := func(from, to string) {
		edges = append(edges, map[string]any{"source": from, "target": to, "relation": seq})
	}
	nodes = append(nodes, map[string]any{"uid": "root.root", "type": graphPkg + "GraphClusterRoot"})
	for _, t := range f.triggers() {
		uid := "root.Triggers." + t.ID
		nodes = append(nodes, map[string]any{"uid": uid, "type": graphPkg + "GraphTrigger",
			"trigger": map[string]any{"id": t.ID, "type": t.Type, "disabled": t.Disabled}})
		edge(uid, "root.root")
	}
	prev := "root.root"
	tasks := f.Tasks
	if f.run != nil {
		tasks = []flowdef.Task{{ID: goTaskID, Type: goTaskType}}
	}
	for _, t := range tasks {
		uid := "root." + t.ID
		nodes = append(nodes, map[string]any{"uid": uid, "type": graphPkg + "GraphTask",
			"task": map[string]any{"id": t.ID, "type": t.Type}, "relationType": "SEQUENTIAL"})
		edge(prev, uid)
		prev = uid
	}
	nodes = append(nodes, map[string]any{"uid": "root.end", "type": graphPkg + "GraphClusterEnd"})
	edge(prev, "root.end")
	return map[string]any{"nodes": nodes, "edges": edges, "clusters": []any{}, "flowables": []string{}}
}
