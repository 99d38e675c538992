module stepbox.local/agent

go 1.25
