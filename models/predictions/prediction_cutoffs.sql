{#- The dates the predictions' features are computed "as of": the reference date (cutoff_index 0, scored) and
    `churn_training_cutoffs` + 1 training cutoffs on a fixed schedule. The training anchor is the latest date on or
    before the reference date of a grid of every `prediction_retrain_days` days counted from Monday 2000-01-03 (7: the
    Monday of the reference date's week); cutoff k >= 1 is the anchor minus k horizons (`churn_horizon_days`), so
    cutoff 1's label window (cutoff, cutoff + horizon] ends on the anchor. The training cutoffs only move when the
    anchor does, and the incremental `*_as_of` models reuse their rows in between (`settled_on_date`). A model is
    backtested by fitting it on cutoffs 2 to training_cutoffs + 1 and scoring cutoff 1; it is then refitted on
    cutoffs 1 to training_cutoffs and scores cutoff 0. -#}
{%- set horizon = var('churn_horizon_days') | int %}
{%- set retrain_days = var('prediction_retrain_days') | int %}
{%- set lookback = var('incremental_lookback_days') | int %}
with

reference as (

    select
        {{ reference_date() }} as reference_date,
        -- the grid's epoch, a Monday
        cast('2000-01-03' as date) as grid_epoch

),

epoch_days as (

    select
        reference_date,
        grid_epoch,
        {{ days_before_reference('grid_epoch', 'reference_date') }}
            as days_since_epoch
    from reference

),

anchor as (

    select
        reference_date,
        -- the latest grid date on or before the reference date (the modulo kept non-negative before the epoch)
        cast({{ dbt.dateadd('day', 'grid_days', 'grid_epoch') }} as date) as training_anchor_date
    from (
        select
            reference_date,
            grid_epoch,
            days_since_epoch
            - ((days_since_epoch % {{ retrain_days }}) + {{ retrain_days }}) % {{ retrain_days }} as grid_days
        from epoch_days
    ) as grid

),

cutoff_indexes as (

    select cast(series.cutoff_index as {{ dbt.type_int() }}) as cutoff_index
    from generate_series(0, {{ var('churn_training_cutoffs') | int + 1 }}) as series (cutoff_index)

),

cutoffs as (

    select
        cutoff_indexes.cutoff_index,
        anchor.training_anchor_date,
        case
            when cutoff_indexes.cutoff_index = 0 then anchor.reference_date
            else cast({{ dbt.dateadd(
                'day', '-' ~ horizon ~ ' * cutoff_indexes.cutoff_index', 'anchor.training_anchor_date'
            ) }} as date)
        end as cutoff_date
    from cutoff_indexes
    cross join anchor

),

final as (

    select
        -- numerics
        cutoff_index,
        {{ horizon }} as horizon_days,
        -- booleans
        cutoff_index >= 1 as has_label,
        -- dates
        cutoff_date,
        cast({{ dbt.dateadd('day', horizon, 'cutoff_date') }} as date) as label_end_date,
        cast({{ dbt.dateadd('day', -365, 'cutoff_date') }} as date) as last_year_start_date,
        cast({{ dbt.dateadd('day', horizon - 365, 'cutoff_date') }} as date) as last_year_end_date,
        training_anchor_date,
        case
            when cutoff_index >= 1
                then cast({{ dbt.dateadd('day', horizon + lookback, 'cutoff_date') }} as date)
        end as settled_on_date
    from cutoffs

)

select * from final
