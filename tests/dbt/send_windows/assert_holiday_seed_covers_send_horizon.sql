{#- The public-holiday seed covers every day a build can plan a send on: the reference date (a day before, for time
    zones behind) to `send_horizon_days` after it. Fails naming the seed's years otherwise: regenerate it with
    `python -m segwarehouse.holiday_seed --first-year ... --last-year ...`. -#}
with

coverage as (

    select
        min(holiday_date) as first_holiday,
        max(holiday_date) as last_holiday
    from {{ ref('ref_french_public_holidays') }}

)

select
    first_holiday,
    last_holiday
from coverage
where
    extract(year from first_holiday) > extract(year from {{ dbt.dateadd('day', -1, reference_date()) }})
    or extract(year from last_holiday)
    < extract(year from {{ dbt.dateadd('day', var('send_horizon_days'), reference_date()) }})
