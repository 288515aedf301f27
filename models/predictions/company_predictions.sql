{#- The predictions of every account as of the reference date, for `dim_companies`: churn probability and risk (a
    customer account; DuckDB only, null on other targets), prospect score and potential band (every account), up-sell
    score and missing product categories (a customer account). -#}
with

companies as (

    select company_id from {{ ref('int_companies_classified') }}

),

churn as (

    {{ current_churn_scores('account', 'company_id') | indent(4) }}

),

potential as (

    select
        company_id,
        prospect_score,
        potential_band
    from {{ ref('prospect_potential_as_of') }}
    where cutoff_index = 0

),

upsell as (

    select * from {{ ref('account_upsell') }}

),

final as (

    select
        -- ids
        companies.company_id,
        -- strings
        {{ churn_risk('churn.churn_probability') }} as churn_risk,
        potential.potential_band,
        upsell.missing_products,
        -- numerics
        churn.churn_probability,
        potential.prospect_score,
        upsell.upsell_score
    from companies
    left join churn
        on companies.company_id = churn.company_id
    left join potential
        on companies.company_id = potential.company_id
    left join upsell
        on companies.company_id = upsell.company_id

)

select * from final
