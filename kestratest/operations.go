package kestratest

// notEmulatedOperations answer 501 Not Implemented on purpose (the
// methods in unimplemented.go), each with the reason given here; the
// package documentation lists them.
// Every other operation of the document is emulated.
var notEmulatedOperations = map[string]string{}
