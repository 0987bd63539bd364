import threading
from contextlib import contextmanager

# Thread-local state: the locks this thread already holds
_local = threading.local()

@contextmanager
def acquire(*locks):
    # Sort the locks by object id
    locks = sorted(locks, key=lambda lock: id(lock))

    # Make sure the lock order of previously acquired locks is not violated
    acquired = getattr(_local, 'acquired', [])
    if acquired and max(id(lock) for lock in acquired) >= id(locks[0]):
        raise RuntimeError('Lock Order Violation')

    # Acquire all of the locks
    acquired.extend(locks)
    _local.acquired = acquired

    try:
        for lock in locks:
            lock.acquire()
        yield
    # the __exit__ half of the context manager
    finally:
        for lock in reversed(locks):
            lock.release()
        del acquired[-len(locks):]


# Test
x_lock = threading.Lock()
y_lock = threading.Lock()

def thread_1():
    while True:
        with acquire(x_lock, y_lock):
            print("Threading-1")

def thread_2():
    while True:
        with acquire(y_lock, x_lock):
            print("Threading-2")

t1 = threading.Thread(target=thread_1)
t1.start()

t2 = threading.Thread(target=thread_2)
t2.start()
