# The README's two commands. Everything else lives in dev/*.sh.
.PHONY: run test tools
run:
	./dev/run.sh
test:
	./dev/test.sh
tools:
	./dev/tools.sh
