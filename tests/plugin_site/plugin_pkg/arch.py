"""What bilstm-dsl needs to know about `AttentionBlock`: loaded through the
``bilstm_dsl.layers`` entry point, without importing Keras."""

from bilstm_dsl.plugins import BOOL, INT, Param, PluginLayer, Reject, positive


def output_shape(args, input_shape):
    if len(input_shape) != 3:
        raise Reject(
            f"`attentionblock` needs 3-D input (batch, steps, features), got {len(input_shape)}-D",
            help="give the input a feature axis, e.g. `input(20, 1)`",
        )
    batch, steps, _ = input_shape
    if args["return_sequences"]:
        return (batch, steps, args["units"])
    return (batch, args["units"])


def count_params(args, input_shape):
    features = input_shape[-1]
    if features is None:
        raise Reject("`attentionblock` needs a known feature size to make its weights")
    units = args["units"]
    return features * units + (units if args["use_bias"] else 0) + units


LAYERS = [
    PluginLayer(
        name="attentionblock",
        keras_class="plugin_pkg.layers:AttentionBlock",
        params=(
            Param("units", INT, check=positive),
            Param("use_bias", BOOL, True),
            Param("return_sequences", BOOL, True),
        ),
        output_shape=output_shape,
        count_params=count_params,
    )
]
