package org.chartproof.bench;

/** The usage text printed for {@code --help} and after every usage error. */
final class Usage {

  private Usage() {}

  static final String TEXT =
      """
      Usage: java -jar chartproof-bench.jar (--a URL | --a-server "ARGS") [(--b URL | --b-server "ARGS")] [options]

      Measures creates, reads by id, and searches (with and without the server's search cache) against
      one or two FHIR R4 servers, alternating A and B per round, and prints B/A ratios.

      Targets:
        --a URL                     FHIR base URL of target A, e.g. http://127.0.0.1:8080/fhir
        --b URL                     FHIR base URL of target B (optional)
        --a-server "ARGS"           start A from --server-jar with these space-separated arguments
        --b-server "ARGS"           start B from --server-jar with these space-separated arguments
        --server-jar PATH           Chartproof server jar, run as java -Xmx1g -jar PATH --server.port=<free>
                                    --server.address=127.0.0.1 ARGS (required with --a-server/--b-server)
        --a-label TEXT              name of A in the output (default A)
        --b-label TEXT              name of B in the output (default B)
        --work-dir PATH             where started servers run and log (default: a new temp directory)
        --startup-timeout-seconds N how long a started server may take to answer /fhir/metadata (default 180)

      Load:
        --rounds N                  rounds; each runs every phase on A then B (default 3)
        --warmup-rounds N           full rounds run first and left out of the summary (default 1): a
                                    freshly started server keeps getting faster for minutes
        --order ab|abba             ab: A first every round; abba: B first in even rounds (default ab)
        --seconds N                 measured seconds per phase (default 20)
        --warmup-seconds N          unmeasured seconds of the same work before each phase (default 10)
        --phases LIST               comma-separated phases to run: creates, reads, search-no-cache,
                                    search-cached (default all; reads and searches use the resources
                                    that creates made, so they need creates too)
        --concurrency N             client threads (default 8)
        --observations-per-patient N  Observations created after each Patient (default 5)
        --search-patients N         distinct patients the search phases query (default 100)

      Access and output:
        --token TOKEN               send Authorization: Bearer TOKEN on every request
        --token-file PATH           the same, the token read from a file (keeps it out of the process list)
        --json PATH                 also write every figure as JSON to PATH
        --help                      this text

      Options take a value as the next argument or after '=' (--seconds=5). Exit status: 0 success,
      1 some request failed (the figures are not valid), 2 usage error, 3 a target did not start or answer.
      """;
}
