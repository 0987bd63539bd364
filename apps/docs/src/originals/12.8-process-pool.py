from concurrent import futures

all_robots = set()
with futures.ProcessPoolExecutor() as pool:
    for robots in pool.map(find_robots, files):
        all_robots.update(robots)


# Submitting single tasks by hand
# Some function
def work(x):
    ...
    return result

with ProcessPoolExecutor() as pool:
    ...
    # Example of submitting work to the pool
    future_result = pool.submit(work, arg)
    # Obtaining the result (blocks until done)
    r = future_result.result()


# Not blocking: a callback receives the finished Future
def when_done(r):
    print('Got:', r.result())

with ProcessPoolExecutor() as pool:
    future_result = pool.submit(work, arg)
    future_result.add_done_callback(when_done)
