package api

import "encoding/json"

// An error answer is decoded on a best-effort basis: the generated
// ...WithResponse functions decode the body of every answer they have no
// other type for (the `default` response of each operation) into
// JSONDefault (application/json) or ApplicationProblemJSONDefault
// (application/problem+json). A JSON body of another shape (a gateway's own
// error document, a field of another type) must not turn a 502 into a
// decoding error that hides the status, so these two decoders never fail on
// it: what cannot be read is left empty, and the raw bytes stay in the
// response's Body. (A body that is not JSON at all is refused by
// encoding/json before these run: see the package doc.)

// UnmarshalJSON decodes a 1.x error body, leaving e empty (and never
// failing) when data is not one.
func (e *JSONError) UnmarshalJSON(data []byte) error {
	type plain JSONError
	var v plain
	if json.Unmarshal(data, &v) != nil {
		*e = JSONError{}
		return nil
	}
	*e = JSONError(v)
	return nil
}

// UnmarshalJSON decodes a 2.0 problem body, leaving p empty (and never
// failing) when data is not one.
func (p *Problem) UnmarshalJSON(data []byte) error {
	type plain Problem
	var v plain
	if json.Unmarshal(data, &v) != nil {
		*p = Problem{}
		return nil
	}
	*p = Problem(v)
	return nil
}
