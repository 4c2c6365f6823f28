from kernel import hookimpl
from kernel.parameters import PrimitiveParameter
from kernel.types import CondaSetting


@hookimpl
def conda_settings():
    yield CondaSetting(name="sample", description="A sample.", parameter=PrimitiveParameter(1))
