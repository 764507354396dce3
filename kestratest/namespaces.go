package kestratest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

func (h *handlers) namespaces(ts *tenantStore) []string {
	set := map[string]bool{}
	for _, f := range ts.liveFlows() {
		set[f.Namespace] = true
	}
	for _, ns := range ts.kv.Namespaces() {
		set[ns] = true
	}
	ts.mu.Lock()
	for ns := range ts.nsEntries {
		set[ns] = true
	}
	ts.mu.Unlock()
	// Parents of a namespace exist too.
	for ns := range set {
		for i := strings.Index(ns, "."); i >= 0; i = nextDot(ns, i) {
			set[ns[:i]] = true
		}
	}
	out := make([]string, 0, len(set))
	for ns := range set {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

func nextDot(s string, i int) int {
	j := strings.Index(s[i+1:], ".")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// SearchNamespaces reads filters[q] (the 2.0 document has no flat q), which
// api's NAMESPACE table (existingOnly only) would refuse: the fields are not
// checked against a resource here until the server's rule is settled.
func (h *handlers) SearchNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchNamespacesParams) {
	ts, fs := h.search(w, r, tenant, "", nil)
	if ts == nil {
		return
	}
	var out []map[string]any
	for _, ns := range h.namespaces(ts) {
		ok, aerr := fs.matchNamespace(ns)
		if aerr != nil {
			h.s.writeError(w, r, aerr)
			return
		}
		if ok {
			out = append(out, map[string]any{"id": ns, "deleted": false})
		}
	}
	writePage(w, out, params.Page, params.Size)
}

func (h *handlers) GetNamespace(w http.ResponseWriter, r *http.Request, tenant api.Tenant, id string) {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return
	}
	for _, ns := range h.namespaces(ts) {
		if ns == id {
			writeJSON(w, 200, map[string]any{"id": ns, "deleted": false})
			return
		}
	}
	h.s.writeError(w, r, errNotFound("Namespace not found: "+id))
}

// nsFile is a namespace file or directory.
type nsFile struct {
	data     []byte
	dir      bool
	revision int // files: how many times it was written
	created  time.Time
	updated  time.Time
}

// nsPath reads a namespace file path: absolute, cleaned ("a//b/" is
// "/a/b"). A path with ".." anywhere is refused as the server's storage
// refuses it (StorageInterface.parentTraversalGuard,
// core/src/main/java/io/kestra/core/storages/StorageInterface.java), so a
// path can never climb out of its namespace.
func nsPath(p string) (string, *apiError) {
	if strings.Contains(p, "..") {
		return "", errIllegalArgument("File should be accessed with their full path and not using relative '..' path.")
	}
	return path.Clean("/" + p), nil
}

// optPath reads an optional path parameter; absent is the root "/".
func optPath(p api.OptionalFilePath) (string, *apiError) {
	if p == "" {
		return "/", nil
	}
	return nsPath(p)
}

// optGuardedPath is optPath with the controller's guards.
func optGuardedPath(p api.OptionalFilePath) (string, *apiError) {
	p, aerr := optPath(p)
	if aerr == nil {
		aerr = forbiddenNSPath(p)
	}
	return p, aerr
}

// errRootPath refuses "/" where a file or a movable entry is needed.
func errRootPath(what string) *apiError {
	return errIllegalArgument("The root directory '/' of a namespace cannot be " + what)
}

// files runs fn on a namespace's files (path -> entry; "/" always exists)
// under the tenant's lock. It answers fn's error (or the tenant's) and
// reports whether the caller is to answer.
func (h *handlers) files(w http.ResponseWriter, r *http.Request, tenant, ns string, fn func(m map[string]*nsFile) *apiError) bool {
	ts := h.store(w, r, tenant)
	if ts == nil {
		return false
	}
	ts.mu.Lock()
	m := ts.nsEntries[ns]
	if m == nil {
		m = map[string]*nsFile{"/": {dir: true, created: time.Now(), updated: time.Now()}}
		ts.nsEntries[ns] = m
	}
	aerr := fn(m)
	ts.mu.Unlock()
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return false
	}
	return true
}

// mkdirAll creates dir and its missing parents in a namespace's files; a
// file on the way is an error (a file is never made a directory).
func mkdirAll(m map[string]*nsFile, dir string, now time.Time) *apiError {
	if aerr := checkParents(m, dir); aerr != nil {
		return aerr
	}
	if f := m[dir]; f != nil && !f.dir {
		return errIllegalArgument("'" + dir + "' is a file, not a directory")
	}
	for d := dir; d != "/"; d = path.Dir(d) {
		if m[d] == nil {
			m[d] = &nsFile{dir: true, created: now, updated: now}
		}
	}
	return nil
}

// checkParents refuses a path one of whose parents is a file.
func checkParents(m map[string]*nsFile, p string) *apiError {
	for d := path.Dir(p); d != "/"; d = path.Dir(d) {
		if f := m[d]; f != nil && !f.dir {
			return errIllegalArgument("'" + d + "' is a file, not a directory")
		}
	}
	return nil
}

func fileAttributes(p string, f *nsFile) map[string]any {
	typ, size := "File", len(f.data)
	if f.dir {
		typ, size = "Directory", 0
	}
	name := path.Base(p)
	if p == "/" {
		name = ""
	}
	return map[string]any{"fileName": name, "type": typ, "size": size,
		"creationTime": f.created.UnixMilli(), "lastModifiedTime": f.updated.UnixMilli(), "metadata": map[string]string{}}
}

// forbiddenNSPath applies the controller's guards
// (webserver/src/main/java/io/kestra/webserver/controllers/api/NamespaceFileController.java):
// the flows folder /_flows, and names longer than 255 characters.
func forbiddenNSPath(p string) *apiError {
	if p == "/_flows" || strings.HasPrefix(p, "/_flows/") {
		return errIllegalArgument("Forbidden path: " + p)
	}
	for _, part := range strings.Split(p, "/") {
		if len(part) > 255 {
			return errIllegalArgument("A file or folder name exceeds the maximum length of 255 characters.")
		}
	}
	return nil
}

// readablePath reads the path of a file to read: nsPath's rules and the
// controller's guards.
func readablePath(p string) (string, *apiError) {
	p, aerr := nsPath(p)
	if aerr == nil {
		aerr = forbiddenNSPath(p)
	}
	return p, aerr
}

// writablePath reads the path of an entry to create, move or delete:
// nsPath's rules, the controller's guards, and never the root.
func writablePath(p, what string) (string, *apiError) {
	p, aerr := nsPath(p)
	if aerr != nil {
		return "", aerr
	}
	if p == "/" {
		return "", errRootPath(what)
	}
	if aerr := forbiddenNSPath(p); aerr != nil {
		return "", aerr
	}
	return p, nil
}

func (h *handlers) CreateNamespaceFile(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.CreateNamespaceFileParams) {
	p, aerr := writablePath(params.Path, "a file")
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	file, _, err := r.FormFile("fileContent")
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		h.s.writeError(w, r, bodyError(err))
		return
	}
	if err != nil {
		h.s.writeError(w, r, errBadRequest("a file part named fileContent is required: "+err.Error()))
		return
	}
	defer func() { _ = file.Close() }()
	b, err := io.ReadAll(file)
	if err != nil {
		h.s.writeError(w, r, bodyError(err))
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		now := time.Now()
		if old := m[p]; old != nil && old.dir {
			return errIllegalArgument("'" + p + "' is a directory: a file cannot replace it")
		}
		if aerr := mkdirAll(m, path.Dir(p), now); aerr != nil {
			return aerr
		}
		created, rev := now, 1
		if old := m[p]; old != nil {
			created, rev = old.created, old.revision+1
		}
		m[p] = &nsFile{data: b, created: created, updated: now, revision: rev}
		return nil
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) GetFileContent(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileContentParams) {
	p, aerr := readablePath(params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var data []byte
	if !h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		f := m[p]
		if f == nil || f.dir {
			return errNotFound("File not found: " + p)
		}
		data = f.data
		return nil
	}) {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(200)
	_, _ = w.Write(data)
}

func (h *handlers) ListNamespaceDirectoryFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.ListNamespaceDirectoryFilesParams) {
	dir, aerr := optGuardedPath(params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	out := []map[string]any{}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		if d := m[dir]; d == nil || !d.dir {
			return errNotFound("Directory not found: " + dir)
		}
		var names []string
		for p := range m {
			if p != "/" && path.Dir(p) == dir {
				names = append(names, p)
			}
		}
		sort.Strings(names)
		for _, p := range names {
			out = append(out, fileAttributes(p, m[p]))
		}
		return nil
	}) {
		writeJSON(w, 200, out)
	}
}

func (h *handlers) CreateNamespaceDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.CreateNamespaceDirectoryParams) {
	dir, aerr := optGuardedPath(params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		return mkdirAll(m, dir, time.Now())
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) GetFileMetadatas(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileMetadatasParams) {
	p, aerr := optGuardedPath(params.Path)
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	var attrs map[string]any
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		f := m[p]
		if f == nil {
			return errNotFound("File not found: " + p)
		}
		attrs = fileAttributes(p, f)
		return nil
	}) {
		writeJSON(w, 200, attrs)
	}
}

func (h *handlers) SearchNamespaceFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.SearchNamespaceFilesParams) {
	out := []string{}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		for p, f := range m {
			if !f.dir && strings.Contains(p, params.Q) {
				out = append(out, p)
			}
		}
		return nil
	}) {
		sort.Strings(out)
		writeJSON(w, 200, out)
	}
}

func (h *handlers) MoveFileDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.MoveFileDirectoryParams) {
	from, aerr := writablePath(params.From, "moved")
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	to, aerr := writablePath(params.To, "replaced")
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		if m[from] == nil {
			return errNotFound("File not found: " + from)
		}
		if m[to] != nil {
			// InternalNamespace.move throws an IOException: a 500.
			return errInternal(fmt.Sprintf("File '%s' already exists in namespace '%s'.", to, namespace))
		}
		if strings.HasPrefix(to, from+"/") {
			return errIllegalArgument("Cannot move '" + from + "' into itself ('" + to + "')")
		}
		if aerr := mkdirAll(m, path.Dir(to), time.Now()); aerr != nil {
			return aerr
		}
		// Collect first: entries added to a map while ranging over it may
		// be visited again.
		moved := map[string]*nsFile{}
		for p, f := range m {
			if p == from || strings.HasPrefix(p, from+"/") {
				moved[p] = f
			}
		}
		for p := range moved {
			delete(m, p)
		}
		for p, f := range moved {
			m[to+strings.TrimPrefix(p, from)] = f
		}
		return nil
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) DeleteFileDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.DeleteFileDirectoryParams) {
	p, aerr := writablePath(params.Path, "deleted")
	if aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		found := m[p] != nil
		for q := range m {
			if q == p || strings.HasPrefix(q, p+"/") {
				delete(m, q)
			}
		}
		if !found {
			return errNotFound("File not found: " + p)
		}
		return nil
	}) {
		w.WriteHeader(200)
	}
}
