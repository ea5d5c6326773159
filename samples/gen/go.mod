module tracestatgen

go 1.19
