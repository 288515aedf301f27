{{ segment_view() }}
