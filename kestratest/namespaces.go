package kestratest

import (
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
	ts.mu.Lock()
	for ns := range ts.kv {
		set[ns] = true
	}
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

func (h *handlers) SearchNamespaces(w http.ResponseWriter, r *http.Request, tenant api.Tenant, params api.SearchNamespacesParams) {
	ts, fs := h.search(w, r, tenant, nil)
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
	data    []byte
	dir     bool
	created time.Time
	updated time.Time
}

func cleanNSPath(p string) string {
	p = path.Clean("/" + p)
	return p
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

// mkdirAll creates dir and its missing parents in a namespace's files.
func mkdirAll(m map[string]*nsFile, dir string, now time.Time) {
	for d := dir; d != "/"; d = path.Dir(d) {
		if m[d] == nil {
			m[d] = &nsFile{dir: true, created: now, updated: now}
		}
	}
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

func forbiddenNSPath(p string) *apiError {
	if strings.HasPrefix(p, "/_flows") {
		return errUnprocessable("Forbidden path: " + p)
	}
	for _, part := range strings.Split(p, "/") {
		if len(part) > 255 {
			return errUnprocessable("File name too long: " + part)
		}
	}
	return nil
}

func (h *handlers) CreateNamespaceFile(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.CreateNamespaceFileParams) {
	p := cleanNSPath(params.Path)
	if aerr := forbiddenNSPath(p); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	file, _, err := r.FormFile("fileContent")
	if err != nil {
		h.s.writeError(w, r, errBadRequest("a file part named fileContent is required: "+err.Error()))
		return
	}
	defer func() { _ = file.Close() }()
	b, err := io.ReadAll(file)
	if err != nil {
		h.s.writeError(w, r, errBadRequest(err.Error()))
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		now := time.Now()
		mkdirAll(m, path.Dir(p), now)
		created := now
		if old := m[p]; old != nil {
			created = old.created
		}
		m[p] = &nsFile{data: b, created: created, updated: now}
		return nil
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) GetFileContent(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileContentParams) {
	p := cleanNSPath(params.Path)
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

func optPath(p api.OptionalFilePath) string {
	if p == "" {
		return "/"
	}
	return cleanNSPath(p)
}

func (h *handlers) ListNamespaceDirectoryFiles(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.ListNamespaceDirectoryFilesParams) {
	dir := optPath(params.Path)
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
	dir := optPath(params.Path)
	if aerr := forbiddenNSPath(dir); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		mkdirAll(m, dir, time.Now())
		return nil
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) GetFileMetadatas(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.GetFileMetadatasParams) {
	p := optPath(params.Path)
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
	from, to := cleanNSPath(params.From), cleanNSPath(params.To)
	if aerr := forbiddenNSPath(to); aerr != nil {
		h.s.writeError(w, r, aerr)
		return
	}
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		if m[from] == nil || from == "/" {
			return errNotFound("File not found: " + from)
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
		mkdirAll(m, path.Dir(to), time.Now())
		return nil
	}) {
		w.WriteHeader(200)
	}
}

func (h *handlers) DeleteFileDirectory(w http.ResponseWriter, r *http.Request, tenant api.Tenant, namespace api.NamespaceName, params api.DeleteFileDirectoryParams) {
	p := cleanNSPath(params.Path)
	if h.files(w, r, tenant, namespace, func(m map[string]*nsFile) *apiError {
		found := m[p] != nil
		for q := range m {
			if q != "/" && (q == p || strings.HasPrefix(q, p+"/")) {
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
