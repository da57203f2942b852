package diag

//go:generate go run ./internal/catgen -out codes_gen.go
