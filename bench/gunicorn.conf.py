# gunicorn settings for the benchmarks: none of the production file's extras
# (access log, worker recycling), so every server measured runs with the same
# flags given on the command line.
