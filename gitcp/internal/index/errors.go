package index

// FormatError is returned by [Decode] and [Read] for an index they cannot
// decode: a corrupt or truncated file, or a version or mandatory extension
// this package does not rewrite. Reason says which, in lower case.
type FormatError struct {
	Reason string
	// Extension is "link" for a fault of the split index's extension, ""
	// for other faults.
	Extension string
}

func (e *FormatError) Error() string { return "git index: " + e.Reason }
