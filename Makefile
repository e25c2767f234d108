# The commands a user needs. Everything else lives in scripts/ and testenv/.
.PHONY: help build aot demo serve test faults bench bench-script bench-s3 bench-es bench-serve clean servers servers-down

build:            ## build dist/fetch.jar, dist/predict.jar, dist/publish.jar, dist/serve.jar
	scripts/build.sh

aot:              ## JDK 25+: the jobs' ahead-of-time caches dist/{fetch,predict,publish}.aot (after every build); docs/running.md
	scripts/build-aot.sh

demo:             ## two fetch -> predict -> publish cycles on sample data and a local store
	scripts/demo.sh

serve:            ## serve.jar on the demo's store and the test servers, port 8080 (SERVE_PORT); docs/serve.md
	scripts/serve.sh

test:             ## the whole suite against real servers started locally (no Docker needed)
	scripts/test.sh

faults:           ## the long crash suite (>= 500 kill -9s) and the other fault suites, one table; docs/reliability.md
	scripts/faults.sh

bench:            ## 1,000,000 documents through the three jobs; see docs/benchmarks.md
	bench/pipeline.sh

bench-script:     ## Scoreline vs the Python script it replaces, 1,000,000 documents, full and incremental; docs/benchmarks.md
	bench/vs-script.sh

bench-serve:      ## serve.jar vs a FastAPI twin under constant arrival rates (BENCH_SECONDS=60); docs/benchmarks.md
	bench/serve-load/run.sh

bench-s3:         ## publish vs a raw SDK upload, model load from S3
	bench/s3.sh

bench-es:         ## fetch vs a bare client loop on 1,000,000 documents in Elasticsearch
	bench/elasticsearch.sh 1000000

servers:          ## start S3, Redis and Elasticsearch for running tests by hand
	testenv/up.sh

servers-down:     ## stop the servers 'make servers' started
	testenv/down.sh

clean:            ## remove build output, dist/, demo-data/ and the test servers' data
	./mvnw -q clean; rm -rf dist demo-data testenv/run

help:             ## this list
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'
