import threading

import pytest
from django.db import IntegrityError, connection, transaction

from core import numbering
from core.models import NumberCounter

pytestmark = pytest.mark.django_db


def take(series="1-2", year=2026):
    with transaction.atomic():
        return numbering.next_number(series, year)


def test_numbers_start_at_one_and_follow_each_other():
    assert [take() for _ in range(3)] == [1, 2, 3]


def test_each_series_and_year_counts_on_its_own():
    assert take("1-2", 2026) == 1
    assert take("1-2", 2026) == 2
    assert take("1-3", 2026) == 1
    assert take("1-2", 2027) == 1
    assert numbering.peek("1-2", 2026) == 2


def test_rolled_back_registration_gives_its_number_back():
    assert take() == 1

    def failed_registration():
        with transaction.atomic():
            assert numbering.next_number("1-2", 2026) == 2
            raise RuntimeError("the registration failed after taking a number")

    with pytest.raises(RuntimeError):
        failed_registration()
    assert take() == 2


@pytest.mark.django_db(transaction=True)
def test_next_number_outside_a_transaction_is_refused():
    with pytest.raises(numbering.NotInTransaction):
        numbering.next_number("1-2", 2026)
    assert numbering.peek("1-2", 2026) == 0


def test_database_refuses_a_second_counter_for_the_same_series_and_year():
    NumberCounter.objects.create(series="X", year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberCounter.objects.create(series="X", year=2026)


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_duplicate_or_skip():
    """Many threads with their own connections take numbers at once; some roll back."""
    threads, per_thread = 8, 15
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for attempt in range(per_thread):
                try:
                    with transaction.atomic():
                        number = numbering.next_number("1-2", 2026)
                        if (index + attempt) % 5 == 0:  # a failed registration
                            raise ValueError("rolled back")
                except ValueError:
                    continue
                with lock:
                    taken.append(number)
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert not errors
    committed = threads * per_thread - sum(
        1 for i in range(threads) for a in range(per_thread) if (i + a) % 5 == 0
    )
    assert len(taken) == committed
    assert sorted(taken) == list(range(1, committed + 1))  # no duplicate, no gap
    assert numbering.peek("1-2", 2026) == committed
