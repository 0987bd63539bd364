import threading

class SharedCounter:
    '''
    A counter object that can be shared by multiple threads.
    '''
    def __init__(self, initial_value = 0):
        self._value = initial_value
        self._value_lock = threading.Lock()

    def incr(self,delta=1):
        '''
        Increment the counter with locking
        '''
        with self._value_lock:
            self._value += delta

# The clumsier way: acquire and release by hand
def incr(self,delta=1):
    '''
    Increment the counter with locking
    '''
    self._value_lock.acquire()
    self._value += delta
    self._value_lock.release()


# A reentrant lock: decr() takes the lock, then incr() takes it again
class SharedCounter:
    """
    a counter that can be shared by multiple threads
    """
    # reentrant lock objects as Class Member
    _lock = threading.RLock()
    def __init__(self,val):
        self._val=val
        pass

    def incr(self, delta=1):
        with SharedCounter._lock:
            self._val += delta

    def decr(self, delta=1):
        with SharedCounter._lock:
            self.incr(-delta)


# A semaphore limits how many threads run a section at once
from threading import Semaphore
import urllib.request

# At most, five threads allowed to run at once
_fetch_url_sema = Semaphore(5)

def fetch_url(url):
    with _fetch_url_sema:
        return urllib.request.urlopen(url)  # the chapter's listing is cut off before ")"
