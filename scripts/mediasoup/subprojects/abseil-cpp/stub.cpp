// Empty translation unit: this stand-in library exists only because
// mediasoup's meson.build names it in link_whole.
namespace konvent_stub {}
