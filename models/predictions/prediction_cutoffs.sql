{#- The dates the predictions' features are computed "as of": the reference date (cutoff_index 0, scored) and
    `churn_training_cutoffs` + 1 earlier ones, each `churn_horizon_days` before the next. A cutoff's label window
    (cutoff, cutoff + horizon] is known when it ends on or before the reference date (cutoff_index >= 1). A model is
    backtested by fitting it on cutoffs 2 to training_cutoffs + 1 and scoring cutoff 1; it is then refitted on
    cutoffs 1 to training_cutoffs and scores cutoff 0. -#}
{%- set horizon = var('churn_horizon_days') | int %}
with

cutoff_indexes as (

    select cast(series.cutoff_index as {{ dbt.type_int() }}) as cutoff_index
    from generate_series(0, {{ var('churn_training_cutoffs') | int + 1 }}) as series (cutoff_index)

),

cutoffs as (

    select
        cutoff_index,
        cast({{ dbt.dateadd('day', '-' ~ horizon ~ ' * cutoff_index', reference_date()) }} as date) as cutoff_date
    from cutoff_indexes

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
        cast({{ dbt.dateadd('day', horizon - 365, 'cutoff_date') }} as date) as last_year_end_date
    from cutoffs

)

select * from final
