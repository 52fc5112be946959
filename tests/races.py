"""Running moves at the same moment, in real threads, for the race tests."""

import threading


def race(*moves):
    """Run the moves at the same moment in threads; return what each returned or
    raised, in order. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(moves))
    results = [None] * len(moves)

    def run(index, move):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[index] = move()
        except Exception as error:  # the outcome is what the test asserts
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
