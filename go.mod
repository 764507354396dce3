module github.com/kestra-go/kestra-go

go 1.25.0

require (
	github.com/amazon-ion/ion-go v1.5.0 // indirect
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/flosch/pongo2/v6 v6.0.0 // indirect
	github.com/getkin/kin-openapi v0.152.0 // indirect
	github.com/goccy/go-yaml v1.18.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oapi-codegen/oapi-codegen/v2 v2.8.2 // indirect
	github.com/oapi-codegen/runtime v1.8.0 // indirect
	github.com/sethvargo/go-retry v0.3.0 // indirect
	github.com/tmaxmax/go-sse v0.11.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
