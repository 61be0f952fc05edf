"""fork_map: the one way worker processes are forked over a list."""

import os

import pytest

from uprsite.processes import fork_map


class _Unpicklable:
    """Shared data that pickle refuses: it can reach the workers only by fork inheritance."""

    def __init__(self, values):
        self.values = values

    def __reduce__(self):
        raise TypeError("shared data must not be pickled")


def _scaled(shared, item):
    return shared.values[item] * 10, os.getpid()


def _fails_on_three(shared, item):
    if item == 3:
        raise ValueError(f"item {item} failed")
    return item


def test_results_in_order_from_other_processes_and_shared_data_never_pickled():
    shared = _Unpicklable(list(range(50)))
    results = fork_map(_scaled, shared, range(50), workers=2, chunksize=4)
    assert [value for value, _ in results] == [n * 10 for n in range(50)]
    assert all(pid != os.getpid() for _, pid in results)


def test_without_workers_everything_runs_in_this_process():
    ran = []
    results = fork_map(_scaled, _Unpicklable([1, 2, 3]), range(3), workers=0, meanwhile=lambda: ran.append(True))
    assert [value for value, _ in results] == [10, 20, 30]
    assert {pid for _, pid in results} == {os.getpid()}
    assert ran == [True]


def test_meanwhile_runs_here_while_the_workers_work():
    ran = []
    results = fork_map(_scaled, _Unpicklable([5]), [0], workers=1, meanwhile=lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()]
    assert results[0][0] == 50


def test_a_worker_exception_reaches_the_caller():
    with pytest.raises(ValueError, match="item 3 failed"):
        fork_map(_fails_on_three, None, range(6), workers=2)
