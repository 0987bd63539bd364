# Code to execute in an independent thread
import time

def countdown(n):
    while n > 0:
        print('T-minus', n)
        n -= 1
        time.sleep(0.5)

# Create and launch a thread
from threading import Thread
t = Thread(target=countdown, args=(10,))
t.start()

n = 10
while n > 0:
    n -= 1
    if t.is_alive():
        print('Still running')
    else:
        print('Completed')
        n = 0
    time.sleep(1)
